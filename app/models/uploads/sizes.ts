// Shared by the server's messages and the admin's list, so it imports nothing server-only.

/** "11.2 MB", "200 KB": sizes as people read them (1 MB = 1,048,576 bytes, as the limits are set). */
export function sizeText(bytes: number): string {
  if (bytes < 1_024) return `${bytes} bytes`;
  if (bytes < 1_048_576) return `${Math.round(bytes / 1_024)} KB`;
  const megabytes = bytes / 1_048_576;
  return `${megabytes < 100 ? Math.round(megabytes * 10) / 10 : Math.round(megabytes)} MB`;
}
