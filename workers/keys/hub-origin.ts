/** What a person types for a hub, read as its origin: kept apart from the keyring so a Node client reads it too. */
import { CoreError } from '../errors.ts';

/** A hub origin ('https://hub.example', 'http://127.0.0.1:8080'). @throws CoreError InvalidField */
export function parseHubOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CoreError('InvalidField', `"${text}" is not a hub address like https://hub.example`, {
      field: 'homeHub',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CoreError('InvalidField', `a hub is reached over http(s), not ${url.protocol}`, { field: 'homeHub' });
  }
  return url.origin;
}
