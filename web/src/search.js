// Search results: the ranked full-text search, each hit with its snippet highlighted.
import { dealTitle, graphql, h, highlighted, link } from "./api.js";

const QUERY = `query Search($q: String!) { search(query: $q, first: 50) { hits { kind score
  snippet { text highlights { start end } }
  node { __typename ... on Company { slug name } ... on Person { slug name } ... on Deal { key parties { role company { name } } }
    ... on Source { slug title } } } } }`;

export async function render({ q }) {
  const input = document.getElementById("q");
  if (input && !input.value) input.value = q;
  if (!q.trim()) return { title: "Search", content: [h("h1", {}, "Search"), h("p", {}, "Type a name, a deal or words from a source.")] };
  const { search } = await graphql(QUERY, { q });
  return {
    title: `Search: ${q}`,
    content: [
      h("h1", {}, `Search: “${q}”`),
      search.hits.length === 0
        ? h("p", { class: "empty" }, "Nothing found.")
        : h(
            "ol",
            { class: "hits" },
            search.hits.map((hit) =>
              h(
                "li",
                {},
                h("span", { class: "badge" }, hit.kind.toLowerCase()),
                " ",
                link(hit.node, hit.node.name ?? hit.node.title ?? dealTitle(hit.node)),
                h("p", { class: "snippet" }, highlighted(hit.snippet.text, hit.snippet.highlights.map((x) => [x.start, x.end]))),
              ),
            ),
          ),
    ],
  };
}
