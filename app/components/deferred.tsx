import { Suspense, lazy, type ComponentProps, type FunctionComponent } from 'react';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bound React's own lazy() uses
type AnyComponent = FunctionComponent<any>;

const notLoadedOnServer: (() => Promise<void>)[] = [];
let serverLoading: Promise<unknown> = Promise.resolve();

/**
 * A component that the server renders at once and a browser downloads only on a page that shows
 * it. The server's HTML holds the whole component (its forms work without JavaScript); while the
 * browser fetches the code, React leaves that HTML in place and hydrates it afterwards.
 *
 * `load` is the only reference to the component's module, a dynamic import, so the browser
 * bundle keeps it out of every page's scripts. The server loads them all before its first render
 * (loadDeferredOnServer) and then renders them without waiting.
 */
export function deferred<Component extends AnyComponent>(load: () => Promise<Component>) {
  let onServer: Component | undefined;
  notLoadedOnServer.push(async () => {
    onServer = await load();
  });
  const Later = lazy(async () => ({ default: await load() }));
  return function Deferred(props: ComponentProps<Component>) {
    const Shown = onServer ?? Later;
    return (
      <Suspense fallback={null}>
        <Shown {...props} />
      </Suspense>
    );
  };
}

/**
 * Awaited by the server before it renders a page. Route modules can register later (the
 * development server imports them on first use), so each call loads whatever is new.
 */
export function loadDeferredOnServer() {
  const batch = notLoadedOnServer.splice(0);
  if (batch.length > 0)
    serverLoading = Promise.all([serverLoading, ...batch.map((serverLoad) => serverLoad())]);
  return serverLoading;
}

// What only members, authors or staff see. Most readers are anonymous visitors from search
// engines, who see none of these: their browsers never download them.

export const AccountControls = deferred(() =>
  import('./account-menu').then((module) => module.AccountControls),
);

export const FlagControl = deferred(() => import('./flags').then((module) => module.FlagControl));

export const MarkdownEditor = deferred(() =>
  import('./markdown-editor').then((module) => module.MarkdownEditor),
);

export const ModeratePanel = deferred(() =>
  import('./moderate-panel').then((module) => module.ModeratePanel),
);

export const RemovedBanner = deferred(() =>
  import('./moderation').then((module) => module.RemovedBanner),
);

export const VerifyEmailBanner = deferred(() =>
  import('./member-banners').then((module) => module.VerifyEmailBanner),
);

export const WarningBanner = deferred(() =>
  import('./member-banners').then((module) => module.WarningBanner),
);
