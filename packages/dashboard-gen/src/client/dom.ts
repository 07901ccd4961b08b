/**
 * A tiny element builder. Text always goes in as text nodes and attributes through
 * `setAttribute`, never through `innerHTML`, so names from Discord or Wise Old Man can never
 * become markup. Events are handled by delegation in main.ts.
 */

/** What an element can hold. `null`, `undefined` and `false` are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes: strings and numbers as they are, `true` = present, `false`/`null`/`undefined` = absent. */
export type Props = Record<string, string | number | boolean | null | undefined>;

function apply(element: Element, props: Props | undefined, children: readonly Child[]): void {
  if (props !== undefined) {
    for (const [name, value] of Object.entries(props)) {
      if (value === true) element.setAttribute(name, '');
      else if (value !== false && value !== null && value !== undefined) {
        element.setAttribute(name, String(value));
      }
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Creates an HTML element. */
export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  props?: Props,
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  apply(element, props, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element. */
export function s<Tag extends keyof SVGElementTagNameMap>(
  tag: Tag,
  props?: Props,
  ...children: Child[]
): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, props, children);
  return element;
}

/** Replaces the contents of `element`. */
export function fill(element: Element, ...children: Child[]): void {
  element.replaceChildren();
  apply(element, undefined, children);
}

/** The element with `data-slot="name"`; the page's template always has one. */
export function slot(name: string): HTMLElement {
  const element = document.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  if (element === null) throw new Error(`clanstats: the page has no ${name} slot`);
  return element;
}
