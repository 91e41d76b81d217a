// Evidence packs (docs/evidence-pack.md): export from a workspace, verify offline.
export {
  exportPack,
  EXPORT_CANCELLED,
  type ExportOptions,
  type ExportResult,
  type ExportSelection,
} from './export';
export { verifyPack, type PackVerdict } from './verify-pack';
export {
  ANNOTATION_FIELDS,
  chooseFields,
  ENTRY_FIELDS,
  type AnnotationSource,
  type ExportAnnotation,
  type ExportField,
} from './fields';
export { neutralizeCell, restoreCell, needsNeutralizing, FORMULA_PATTERN } from './csv-safety';
export { fingerprintOf, type PackManifest } from './pack-manifest';
