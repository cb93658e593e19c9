// What every page shares: the GraphQL client, a small DOM builder, and how facts read as text.

export class NotFound extends Error {}

export async function graphql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join("; "));
  return body.data;
}

// h("a", { href: "/x" }, "text", child): an element with attributes and children; null and
// false children are skipped, arrays are spread.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function section(title, ...children) {
  return h("section", {}, h("h2", {}, title), ...children);
}

export function empty(text) {
  return h("p", { class: "empty" }, text);
}

// The page of each kind of thing the API names.
export function pathOf(node) {
  switch (node.__typename) {
    case "Company":
      return `/companies/${encodeURIComponent(node.slug)}`;
    case "Person":
      return `/people/${encodeURIComponent(node.slug)}`;
    case "Deal":
      return `/deals/${encodeURIComponent(node.key)}`;
    case "Source":
      return `/sources/${encodeURIComponent(node.slug)}`;
    default:
      return null;
  }
}

export function link(node, text = node.name ?? node.title ?? node.key) {
  const path = pathOf(node);
  return path ? h("a", { href: path }, text) : h("span", {}, text);
}

// A deal as its parties read: "Acquirer → Target", or every party for a partnership.
export function dealTitle(deal) {
  const named = (role) => deal.parties.filter((party) => party.role === role).map((party) => party.company.name).join(", ");
  const [acquirers, targets] = [named("ACQUIRER"), named("TARGET")];
  if (acquirers && targets) return `${acquirers} → ${targets}`;
  return deal.parties.map((party) => party.company.name).join(" & ") || deal.key;
}

export function words(enumValue) {
  return enumValue ? enumValue.toLowerCase().replaceAll("_", " ") : "";
}

export function money(value) {
  if (!value) return "undisclosed";
  const amount = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 }).format(value.amount);
  return `${value.approximate ? "about " : ""}${amount} ${value.currency} (“${value.text}”)`;
}

export function date(value) {
  return value ?? "undated";
}

// The text with each [start, end) range wrapped in <mark>; overlapping ranges merge. With an
// anchor prefix, each range's start gets an empty element `${prefix}-${start}` to link to.
export function highlighted(text, ranges, anchorPrefix = null) {
  const merged = [];
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const starts = [...new Set(ranges.map(([start]) => start))].sort((a, b) => a - b);
  const anchored = (from, to) => {
    if (!anchorPrefix) return [text.slice(from, to)];
    const pieces = [];
    let at = from;
    for (const start of starts.filter((start) => start >= from && start < to)) {
      pieces.push(text.slice(at, start), h("span", { id: `${anchorPrefix}-${start}`, class: "anchor" }));
      at = start;
    }
    pieces.push(text.slice(at, to));
    return pieces;
  };
  const parts = [];
  let at = 0;
  for (const [start, end] of merged) {
    parts.push(text.slice(at, start), h("mark", {}, anchored(start, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

// Where a quote is marked in its source's text, on a page that shows that text.
export function quoteAnchor(evidence) {
  return `quote-${evidence.source.slug}-${evidence.startOffset}`;
}

// One source's claim: its value, rank, quote and where it comes from.
// With `inPage`, its quote links to where the page marks it in the source's text.
export function claimCard(claim, { inPage = false } = {}) {
  const source = claim.evidence.source;
  const quote = `“${claim.evidence.quote}”`;
  return h(
    "article",
    { class: `claim rank-${claim.rank.toLowerCase()}` },
    h("p", { class: "claim-value" }, claim.text, " ", h("span", { class: "badge" }, words(claim.rank))),
    claim.rankReason && h("p", { class: "reason" }, claim.rankReason),
    claim.note && h("p", { class: "reason" }, claim.note),
    h("blockquote", {}, inPage ? h("a", { href: `#${quoteAnchor(claim.evidence)}`, title: "Where the source says it" }, quote) : quote),
    h("p", { class: "cite" }, "— ", link({ __typename: "Source", ...source })),
  );
}

export const CLAIM = `field text rank rankReason note
  evidence { quote startOffset endOffset source { slug title } }`;
