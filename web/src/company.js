// A company: its deals and investments on a timeline, its people, its figures with every
// source's claim, and its owners up to the ultimate parent and its subsidiaries as a graph.
import cytoscape from "cytoscape";
import { CLAIM, claimCard, date, graphql, h, link, money, NotFound, section, words } from "./api.js";

const COMPANY = "__typename slug name";
const QUERY = `query Company($slug: String!) { company(slug: $slug) { ${COMPANY} aliases description
  ceo { __typename slug name }
  timeline { kind date fact { __typename
    ... on Deal { key kind status value { amount currency approximate text } parties { role company { ${COMPANY} } } }
    ... on Investment { key value { amount currency approximate text } investors { ${COMPANY} } investee { ${COMPANY} } }
    ... on Role { title person { __typename slug name } }
    ... on Metric { name } } }
  roles { title kind current startedOn endedOn person { __typename slug name } }
  metrics { name value unit approximate period forecast disputedFields claims { ${CLAIM} } }
  controlChain { company { ${COMPANY} } parent { ${COMPANY} } }
  subsidiaries(depth: 3) { depth company { ${COMPANY} } control { parent { ${COMPANY} } } } } }`;

export async function render({ slug }) {
  const { company } = await graphql(QUERY, { slug });
  if (!company) throw new NotFound();
  return {
    title: company.name,
    content: [
      h("h1", {}, company.name),
      company.aliases.length > 0 && h("p", { class: "meta" }, `Also: ${company.aliases.join(", ")}`),
      company.description && h("p", { class: "lede" }, company.description),
      company.ceo && h("p", {}, "Chief executive: ", link(company.ceo)),
      section("Ownership", ownership(company)),
      section("Timeline", timeline(company)),
      section("People", people(company)),
      section("Figures", metrics(company)),
    ],
  };
}

function timeline(company) {
  const entries = company.timeline.filter((entry) => entry.fact.__typename !== "Metric");
  if (entries.length === 0) return h("p", { class: "empty" }, "No dated events.");
  return h(
    "ol",
    { class: "timeline" },
    entries.map((entry) =>
      h("li", {}, h("time", {}, date(entry.date)), h("span", { class: "badge" }, words(entry.kind)), " ", event(entry.fact, company)),
    ),
  );
}

function event(fact, company) {
  switch (fact.__typename) {
    case "Deal": {
      const others = fact.parties.filter((party) => party.company.slug !== company.slug);
      const text = `${words(fact.kind)}, ${words(fact.status)}, ${money(fact.value)}`;
      return h("span", {}, link(fact, text), " with ", others.map((p, at) => [at ? ", " : "", link(p.company), ` (${words(p.role)})`]));
    }
    case "Investment":
      return h("span", {}, fact.investors.map((c, at) => [at ? ", " : "", link(c)]), " into ", link(fact.investee), `: ${money(fact.value)}`);
    case "Role":
      return h("span", {}, link(fact.person), ` — ${fact.title}`);
    default:
      return h("span", {}, fact.__typename);
  }
}

function people(company) {
  if (company.roles.length === 0) return h("p", { class: "empty" }, "No people named.");
  return h(
    "ul",
    { class: "cards" },
    company.roles.map((role) =>
      h("li", {}, link(role.person), ` — ${role.title}`, role.current === false ? " (former)" : "", h("span", { class: "meta" }, ` ${words(role.kind)}`)),
    ),
  );
}

function metrics(company) {
  if (company.metrics.length === 0) return h("p", { class: "empty" }, "No figures.");
  return company.metrics.map((metric) =>
    h(
      "div",
      { class: "claim-group" },
      h("h3", {}, metric.name.replaceAll("_", " "), metric.period ? ` (${metric.period})` : "",
        metric.disputedFields.length > 0 && h("span", { class: "badge disputed" }, "disputed")),
      h("div", { class: "side-by-side" }, metric.claims.map((claim) => claimCard(claim))),
    ),
  );
}

// Owners above (the control chain up to the ultimate parent), subsidiaries below: drawn with
// Cytoscape, and listed as text for keyboards and screen readers.
function ownership(company) {
  const nodes = new Map([[company.slug, company]]);
  const edges = [];
  for (const link of company.controlChain) {
    nodes.set(link.parent.slug, link.parent);
    edges.push([link.parent.slug, link.company.slug]);
  }
  for (const subsidiary of company.subsidiaries) {
    nodes.set(subsidiary.company.slug, subsidiary.company);
    edges.push([subsidiary.control.parent.slug, subsidiary.company.slug]);
  }
  if (edges.length === 0) return h("p", { class: "empty" }, "No owners or subsidiaries known.");
  const container = h("div", { class: "graph", id: "ownership-graph", role: "img", "aria-label": `Ownership of ${company.name}` });
  requestAnimationFrame(() => draw(container, company, nodes, edges));
  return [
    container,
    h("ul", { class: "chain" }, edges.map(([from, to]) => h("li", {}, link(nodes.get(from)), " controls ", link(nodes.get(to))))),
  ];
}

function draw(container, company, nodes, edges) {
  const roots = [...nodes.keys()].filter((slug) => !edges.some(([, to]) => to === slug));
  const graph = cytoscape({
    container,
    elements: [
      ...[...nodes.values()].map((node) => ({ data: { id: node.slug, label: node.name }, classes: node.slug === company.slug ? "self" : "" })),
      ...edges.map(([from, to]) => ({ data: { id: `${from}>${to}`, source: from, target: to } })),
    ],
    layout: { name: "breadthfirst", directed: true, roots, spacingFactor: 1.1, padding: 20 },
    style: [
      { selector: "node", style: { label: "data(label)", "background-color": "#4a6fa5", color: "#1d2733", "font-size": 12, "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": "90px" } },
      { selector: "node.self", style: { "background-color": "#c0392b" } },
      { selector: "edge", style: { width: 2, "line-color": "#9aa8b8", "target-arrow-color": "#9aa8b8", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
    ],
    userZoomingEnabled: false,
    boxSelectionEnabled: false,
  });
  graph.on("tap", "node", (event) => {
    const node = nodes.get(event.target.id());
    if (node.slug !== company.slug) container.dispatchEvent(new CustomEvent("navigate", { bubbles: true, detail: `/companies/${node.slug}` }));
  });
  // Where each company is drawn (y grows downwards), for anyone checking the picture.
  const drawn = Object.fromEntries(graph.nodes().map((node) => [node.data("label"), Math.round(node.position("y"))]));
  container.dataset.positions = JSON.stringify(drawn);
}
