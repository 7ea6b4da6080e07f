/** Small line icons (decorative: the control around them carries the label). */
const PATHS = {
  reply: 'M8 5L3 10l5 5M3.5 10H12a5 5 0 0 1 5 5v1',
  quote: 'M4 5h12v8H9l-4 3v-3H4z',
  repost: 'M4 8V6.5A1.5 1.5 0 0 1 5.5 5H15l-2.5-2.5M16 12v1.5a1.5 1.5 0 0 1-1.5 1.5H5l2.5 2.5',
  react: 'M10 17.5a7.5 7.5 0 1 0 0-15 7.5 7.5 0 0 0 0 15zM7 12a4 4 0 0 0 6 0M7.5 8h0M12.5 8h0',
  link:
    'M8.5 11.5a3.5 3.5 0 0 0 5 0l2.5-2.5a3.5 3.5 0 0 0-5-5l-1 1' +
    'M11.5 8.5a3.5 3.5 0 0 0-5 0L4 11a3.5 3.5 0 0 0 5 5l1-1',
  edit: 'M13 3.5l3.5 3.5L7 16.5H3.5V13z',
  trash: 'M4 6h12M8 6V4h4v2M5.5 6l1 10.5h7l1-10.5',
  history: 'M3.5 10a6.5 6.5 0 1 0 2-4.7M3 3v3.5h3.5M10 6.5V10l2.5 2',
  home: 'M3 9.5L10 3.5l7 6V16.5h-4.5v-4h-5v4H3z',
  user: 'M10 9.5a3.25 3.25 0 1 0 0-6.5 3.25 3.25 0 0 0 0 6.5zM3.5 17c.8-3.2 3.3-5 6.5-5s5.7 1.8 6.5 5',
  settings:
    'M10 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2' +
    'M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4',
  image: 'M3.5 4.5h13v11h-13zM3.5 13l4-4 3 3 2-2 4 4M12.5 8h0',
  filter: 'M3 5h14M6 10h8M8.5 15h3',
  close: 'M5 5l10 10M15 5L5 15',
  back: 'M12 4l-6 6 6 6',
  more: 'M4.5 10h0M10 10h0M15.5 10h0',
  bot: 'M5 7.5h10v8H5zM10 4.5v3M7.5 11h0M12.5 11h0M3 10.5v2M17 10.5v2',
  bell: 'M5 14V9a5 5 0 0 1 10 0v5l1.5 1.5h-13zM8.5 17.5h3',
  mail: 'M3 5h14v10H3zM3 5.5l7 5.5 7-5.5',
  file: 'M5 2.5h6.5L15 6v11.5H5zM11.5 2.5V6H15M7.5 10.5L6 12l1.5 1.5M12.5 10.5L14 12l-1.5 1.5',
  hive: 'M10 2.5l6.5 3.75v7.5L10 17.5l-6.5-3.75v-7.5zM10 7l2.6 1.5v3L10 13l-2.6-1.5v-3z',
  search: 'M8.5 14.5a6 6 0 1 0 0-12 6 6 0 0 0 0 12zM13 13l4.5 4.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { readonly name: IconName; readonly size?: number }) {
  return (
    <svg viewBox="0 0 20 20" width={size} height={size} aria-hidden="true" focusable="false" className="icon">
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.7"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
