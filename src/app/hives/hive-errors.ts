/** What a hive's reads and acts say when refused (core/error-text.ts ErrorWords), loaded with the hive screens. */
import type { ErrorWords } from '../core/error-text.ts';

/** Hives: read from the hubs a link names, each entry checked; an act is a commit of one's own feed. */
export const HIVE_ERRORS: ErrorWords = {
  NotFound: 'This hive is not on the hub its link names (yet), or something it names is missing there',
  Unreachable: 'The hive’s hub could not be reached',
  NetworkError: 'The hive’s hub could not be reached',
  BadSignature: 'The hive’s hub sent something with a bad signature, so it was refused',
  WrongAuthor: 'The hive’s hub sent something signed by someone else, so it was refused',
  TooLarge: 'That is too long for a hive',
  Offline: 'The hive’s hub could not be reached: you or it may be offline',
  HubUnavailable: 'The hive’s hub is not answering as a Murmur hub right now',
  HandleTaken: 'That handle is taken on the hive’s hub: give the hive another one (or another name)',
};
