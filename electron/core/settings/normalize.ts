// Field-wise reading of a settings object: every field that is missing or invalid falls back to its
// default on its own, so one hand-edited mistake never resets the other settings nor stops the app.
import { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../shared/settings';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `raw` against `schema`; objects are read field by field, anything else whole. */
function readField(schema: z.ZodType, raw: unknown, fallback: unknown): unknown {
  if (schema instanceof z.ZodObject && isPlainObject(fallback)) {
    const source = isPlainObject(raw) ? raw : {};
    const shape = schema.shape as Record<string, z.ZodType>;
    const result: Record<string, unknown> = {};
    for (const [key, fieldSchema] of Object.entries(shape)) {
      result[key] = readField(fieldSchema, source[key], fallback[key]);
    }
    return result;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : structuredClone(fallback);
}

/** Settings from any JSON value: valid fields kept, the rest default; unknown keys dropped. */
export function normalizeSettings(raw: unknown): Settings {
  const settings = readField(settingsSchema, raw, DEFAULT_SETTINGS);
  // Field-wise reading cannot fail; the final parse only makes the type honest.
  return settingsSchema.parse(settings);
}
