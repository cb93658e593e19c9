// A source document: its text with every quote the facts take from it highlighted.
import { graphql, h, highlighted, NotFound } from "./api.js";

const QUERY = `query Source($slug: String!) { source(slug: $slug) { id title publisher publishedOn url text } }`;
const QUOTES = `query Quotes($source: ID!) { deals(source: $source, first: 100) { nodes { __typename key
  evidence { startOffset endOffset source { slug } } } } }`;

export async function render({ slug }) {
  const { source } = await graphql(QUERY, { slug });
  if (!source) throw new NotFound();
  const { deals } = await graphql(QUOTES, { source: source.id });
  const ranges = deals.nodes.flatMap((deal) =>
    deal.evidence.filter((evidence) => evidence.source.slug === slug).map((e) => [e.startOffset, e.endOffset]),
  );
  return {
    title: source.title,
    content: [
      h("h1", {}, source.title),
      h("p", { class: "meta" }, [source.publisher, source.publishedOn].filter(Boolean).join(" · ") || "No publisher or date given"),
      source.url && h("p", { class: "meta" }, `Published at ${source.url}`),
      h("article", { class: "source-text", "data-source": slug }, highlighted(source.text, ranges)),
    ],
  };
}
