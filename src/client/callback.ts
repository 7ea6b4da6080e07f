/**
 * A function the page hands to a core call to be called back (a progress
 * listener): to the worker it crosses as a comlink proxy, since a function
 * cannot be copied into a message; an in-process core (a component test)
 * gets the function itself, marked.
 */
import * as Comlink from 'comlink';

export function callback<F extends (...args: never[]) => unknown>(fn: F): F {
  return Comlink.proxy(fn);
}
