/**
 * Someone else's text made safe to print to a terminal: control characters
 * (an ANSI or OSC escape starts with one, and can recolour the screen, retitle
 * the window or write the clipboard) and bidi controls (which can reorder
 * what follows) become U+FFFD; line breaks and tabs stay. Words we style
 * ourselves are added after, so they keep their escapes.
 */
export function inert(text: string): string {
  return text.replace(/[^\P{Cc}\n\t]|\p{Bidi_Control}/gu, '\uFFFD');
}
