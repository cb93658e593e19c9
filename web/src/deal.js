// A deal: its parties, value, dates and status; every source's claim with its rank; and each
// source's text with the quotes that state the deal highlighted where they occur.
import { CLAIM, claimCard, date, dealTitle, graphql, h, highlighted, link, money, NotFound, section, words } from "./api.js";

const QUERY = `query Deal($key: String!) { deal(key: $key) { key kind status announcedOn completedOn
  value { amount currency approximate text } disputedFields nonExhaustiveRoles
  parties { role stakePercent company { __typename slug name } }
  claims { ${CLAIM} }
  evidence { quote startOffset endOffset source { __typename slug title publisher publishedOn text } } } }`;

export async function render({ key }) {
  const { deal } = await graphql(QUERY, { key });
  if (!deal) throw new NotFound();
  const title = dealTitle(deal);
  return {
    title,
    content: [
      h("h1", {}, title),
      h("p", { class: "meta" }, `${words(deal.kind)} · ${words(deal.status)} · ${deal.key}`),
      facts(deal),
      section("Parties", parties(deal)),
      section("Claims", claims(deal)),
      section("Sources", sources(deal)),
    ],
  };
}

function facts(deal) {
  const disputed = (field) => (deal.disputedFields.includes(field) ? h("span", { class: "badge disputed" }, "disputed") : null);
  const row = (name, field, value) => [h("dt", {}, name), h("dd", {}, value, " ", disputed(field))];
  return h(
    "dl",
    { class: "facts" },
    row("Value", "value", money(deal.value)),
    row("Announced", "announcedOn", date(deal.announcedOn)),
    row("Completed", "completedOn", date(deal.completedOn)),
    row("Status", "status", words(deal.status)),
  );
}

function parties(deal) {
  return h(
    "ul",
    { class: "cards" },
    deal.parties.map((party) =>
      h(
        "li",
        {},
        h("span", { class: "badge" }, words(party.role)),
        " ",
        link(party.company),
        party.stakePercent !== null && ` (${party.stakePercent}%)`,
        deal.nonExhaustiveRoles.includes(party.role) && h("span", { class: "meta" }, " and others not named"),
      ),
    ),
  );
}

// Claims grouped by field, each group side by side.
function claims(deal) {
  const fields = [...new Set(deal.claims.map((claim) => claim.field))];
  return fields.map((field) =>
    h(
      "div",
      { class: "claim-group" },
      h("h3", {}, field, deal.disputedFields.includes(field) ? h("span", { class: "badge disputed" }, "disputed") : null),
      h("div", { class: "side-by-side" }, deal.claims.filter((claim) => claim.field === field).map((claim) => claimCard(claim, { inPage: true }))),
    ),
  );
}

// Each source once, its text with every quote of this deal's evidence and claims marked.
function sources(deal) {
  const bySlug = new Map();
  for (const evidence of deal.evidence) {
    const entry = bySlug.get(evidence.source.slug) ?? { source: evidence.source, ranges: [] };
    entry.ranges.push([evidence.startOffset, evidence.endOffset]);
    bySlug.set(evidence.source.slug, entry);
  }
  for (const claim of deal.claims) {
    const entry = bySlug.get(claim.evidence.source.slug);
    if (entry) entry.ranges.push([claim.evidence.startOffset, claim.evidence.endOffset]);
  }
  return [...bySlug.values()].map(({ source, ranges }) =>
    h(
      "article",
      { class: "source-text", "data-source": source.slug },
      h("h3", {}, link(source)),
      h("p", { class: "meta" }, [source.publisher, source.publishedOn].filter(Boolean).join(" · ")),
      h("div", { class: "text" }, highlighted(source.text, ranges, `quote-${source.slug}`)),
    ),
  );
}
