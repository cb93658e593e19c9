// Every fact whose sources disagree, the competing claims side by side.
import { CLAIM, claimCard, dealTitle, graphql, h, link } from "./api.js";

const QUERY = `{ conflicts(first: 100) { totalCount nodes { field resolved reason claims { ${CLAIM} }
  fact { __typename
    ... on Deal { key parties { role company { name } } }
    ... on Investment { key investee { __typename slug name } }
    ... on Metric { name period market metricOf: company { __typename slug name } }
    ... on Stake { holder { __typename slug name } company { __typename slug name } }
    ... on Role { title person { __typename slug name } company { __typename slug name } } } } } }`;

export async function render() {
  const { conflicts } = await graphql(QUERY);
  return {
    title: "Conflicts",
    content: [
      h("h1", {}, `Conflicts (${conflicts.totalCount})`),
      h("p", { class: "lede" }, "Facts whose sources disagree: check these before trusting a number."),
      conflicts.nodes.map((conflict) =>
        h(
          "section",
          { class: "claim-group" },
          h("h2", {}, describe(conflict.fact), ": ", conflict.field, " ",
            h("span", { class: `badge ${conflict.resolved ? "" : "disputed"}` }, conflict.resolved ? "resolved" : "unresolved")),
          conflict.reason && h("p", { class: "reason" }, conflict.reason),
          h("div", { class: "side-by-side" }, conflict.claims.map((claim) => claimCard(claim))),
        ),
      ),
    ],
  };
}

function describe(fact) {
  switch (fact.__typename) {
    case "Deal":
      return link(fact, dealTitle(fact));
    case "Investment":
      return h("span", {}, "Investment in ", link(fact.investee));
    case "Metric":
      return h("span", {}, fact.metricOf ? link(fact.metricOf) : fact.market, ` ${fact.name.replaceAll("_", " ")}`, fact.period ? ` (${fact.period})` : "");
    case "Stake":
      return h("span", {}, link(fact.holder), "’s stake in ", link(fact.company));
    case "Role":
      return h("span", {}, link(fact.person), `, ${fact.title} at `, link(fact.company));
    default:
      return fact.__typename;
  }
}
