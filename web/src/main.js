// The explorer's shell: one page per URL (history navigation, no reloads), and the search box
// with its suggestions. Each page module renders into <main> from the public GraphQL API.
import "./style.css";
import { dealTitle, graphql, h, pathOf, NotFound } from "./api.js";

const ROUTES = [
  [/^\/$/, () => import("./home.js"), () => ({})],
  [/^\/search$/, () => import("./search.js"), () => ({ q: new URLSearchParams(location.search).get("q") ?? "" })],
  [/^\/companies\/([^/]+)$/, () => import("./company.js"), (m) => ({ slug: decodeURIComponent(m[1]) })],
  [/^\/deals\/([^/]+)$/, () => import("./deal.js"), (m) => ({ key: decodeURIComponent(m[1]) })],
  [/^\/people\/([^/]+)$/, () => import("./person.js"), (m) => ({ slug: decodeURIComponent(m[1]) })],
  [/^\/sources\/([^/]+)$/, () => import("./source.js"), (m) => ({ slug: decodeURIComponent(m[1]) })],
  [/^\/conflicts$/, () => import("./conflicts.js"), () => ({})],
];
const main = document.getElementById("main");

// The page on show, by path and query: a link within it (#quote-...) changes neither.
let shown = null;
// Whether someone typed in the search box since the last navigation: a page that finishes
// loading then must not take the focus from them.
let typing = false;
// Each navigation's number: a page that finishes loading after a later one was asked for is dropped.
let navigations = 0;

async function show({ focus = true } = {}) {
  shown = location.pathname + location.search;
  const navigation = ++navigations;
  main.setAttribute("aria-busy", "true");
  const route = ROUTES.map(([pattern, load, params]) => [location.pathname.match(pattern), load, params]).find(
    ([match]) => match,
  );
  let title = "Not found";
  let content = [h("h1", {}, "Not found"), h("p", {}, "No page here. ", h("a", { href: "/" }, "Start again"), ".")];
  if (route) {
    const [match, load, params] = route;
    try {
      const page = await load();
      ({ title, content } = await page.render(params(match)));
    } catch (error) {
      if (!(error instanceof NotFound)) {
        title = "Error";
        content = [h("h1", {}, "Something went wrong"), h("p", { role: "alert" }, String(error.message ?? error))];
      }
    }
  }
  if (navigation !== navigations) return;
  document.title = `${title} · dealgraph`;
  main.replaceChildren(...[content].flat(Infinity).filter((part) => part !== null && part !== false && part !== undefined));
  main.removeAttribute("aria-busy");
  if (focus && !typing) main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

export function go(path) {
  typing = false;
  history.pushState(null, "", path);
  show();
}

// Links within the explorer change the page without a reload; GraphiQL is a page of its own.
document.addEventListener("click", (event) => {
  const anchor = event.target.closest("a[href]");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || anchor.hasAttribute("data-external") || url.hash) return;
  event.preventDefault();
  go(url.pathname + url.search);
});
window.addEventListener("popstate", () => {
  if (location.pathname + location.search !== shown) show();
});
// A page element that is not a link (a node of the ownership graph) asks for a page this way.
document.addEventListener("navigate", (event) => go(event.detail));

// The search box: suggestions from the ranked search as one types, arrows to choose, Enter to go.
const input = document.getElementById("q");
const list = document.getElementById("suggestions");
const SUGGEST = `query Suggest($q: String!) { search(query: $q, first: 8) { hits { kind
  node { __typename ... on Company { slug name } ... on Person { slug name } ... on Deal { key parties { role company { name } } }
    ... on Source { slug title } } } } }`;
let active = -1;
let asked = 0;

function closeSuggestions() {
  list.hidden = true;
  list.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function choose(index) {
  const options = [...list.children];
  options.forEach((option, at) => option.setAttribute("aria-selected", String(at === index)));
  active = index;
  if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
}

async function suggest() {
  const q = input.value.trim();
  const ask = ++asked;
  if (q.length < 2) return closeSuggestions();
  const data = await graphql(SUGGEST, { q }).catch(() => null);
  if (ask !== asked || !data) return;
  const options = data.search.hits.map((hit, at) =>
    h(
      "li",
      { id: `suggestion-${at}`, role: "option", "aria-selected": "false", "data-path": pathOf(hit.node) },
      h("span", { class: "badge" }, hit.kind.toLowerCase()),
      " ",
      hit.node.name ?? hit.node.title ?? dealTitle(hit.node),
    ),
  );
  list.replaceChildren(...options);
  list.hidden = options.length === 0;
  input.setAttribute("aria-expanded", String(options.length > 0));
  active = -1;
}

let timer;
input.addEventListener("input", () => {
  typing = true;
  clearTimeout(timer);
  timer = setTimeout(suggest, 120);
});
input.addEventListener("keydown", (event) => {
  const count = list.children.length;
  if (event.key === "ArrowDown" && count) choose((active + 1) % count);
  else if (event.key === "ArrowUp" && count) choose((active - 1 + count) % count);
  else if (event.key === "Escape") closeSuggestions();
  else return;
  event.preventDefault();
});
list.addEventListener("mousedown", (event) => {
  const option = event.target.closest("[role=option]");
  if (!option) return;
  event.preventDefault();
  closeSuggestions();
  go(option.dataset.path);
});
input.addEventListener("blur", () => setTimeout(closeSuggestions, 100));
input.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const chosen = list.children[active];
  const path = chosen ? chosen.dataset.path : `/search?q=${encodeURIComponent(input.value.trim())}`;
  closeSuggestions();
  go(path);
});

show({ focus: false });
