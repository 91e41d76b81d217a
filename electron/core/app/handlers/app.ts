// App info, settings, the Otesse API token, native dialogs.
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { ApiFailure, unsupported } from '../errors';

type AppHandlers = Pick<
  Handlers,
  | 'appInfo'
  | 'getSettings'
  | 'updateSettings'
  | 'setApiToken'
  | 'clearApiToken'
  | 'pickFiles'
  | 'pickSaveLocation'
>;

export function appHandlers(ctx: AppContext): AppHandlers {
  return {
    appInfo: () => ({
      version: ctx.version,
      mode: ctx.mode,
      demoWorkspaceId: ctx.registry.list().find((w) => w.isDemo)?.id ?? null,
      hasApiToken: ctx.tokens.has(),
      secureTokenStorage: ctx.tokens.secure,
    }),
    getSettings: () => ctx.settings.get(),
    updateSettings: (patch) => ctx.settings.update(patch),
    setApiToken: ({ token, allowWeakStorage }) => {
      if (!ctx.tokens.secure && allowWeakStorage !== true)
        throw new ApiFailure(
          'conflict',
          'this system has no secure secret store; confirm storing the token with weaker protection',
        );
      ctx.tokens.set(token, { allowWeakStorage: allowWeakStorage === true });
      return { stored: true };
    },
    clearApiToken: () => {
      ctx.tokens.clear();
      return { cleared: true };
    },
    pickFiles: ({ purpose }) => {
      if (ctx.dialogs === null)
        throw unsupported('no file dialogs in browser mode: upload the files instead');
      return ctx.dialogs.pickFiles(purpose);
    },
    pickSaveLocation: ({ purpose, suggestedName }) => {
      if (ctx.dialogs === null)
        throw unsupported('no save dialogs in browser mode: the file is downloaded instead');
      return ctx.dialogs.pickSaveLocation(purpose, suggestedName);
    },
  };
}
