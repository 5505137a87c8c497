import { TabLinks } from './tab-links';

/** The settings pages, one tab each, shown above every one of them. */
export function SettingsNav() {
  return (
    <TabLinks
      label="Your settings"
      tabs={[
        { to: '/settings/account', label: 'Account' },
        { to: '/settings/notifications', label: 'Mail' },
        { to: '/settings/security', label: 'Sessions' },
        { to: '/settings/two-factor', label: 'Two-factor' },
      ]}
    />
  );
}
