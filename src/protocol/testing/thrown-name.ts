/** For the vector tests: the name of the ProtocolError `run` throws, or undefined when it throws nothing. */
import { expect } from 'vitest';
import { ProtocolError } from '../errors.ts';

export function thrownName(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).name;
  }
}
