// The front page: what the explorer is, and the companies to start from.
import { dealTitle, graphql, h, link, section } from "./api.js";

const QUERY = `{ companies(first: 100) { totalCount nodes { __typename slug name description } }
  deals(first: 20) { nodes { __typename key announcedOn parties { role company { name } } } } }`;

export async function render() {
  const { companies, deals } = await graphql(QUERY);
  return {
    title: "Explore",
    content: [
      h("h1", {}, "Mergers and acquisitions, with their evidence"),
      h(
        "p",
        { class: "lede" },
        "Every deal, stake, role and figure here comes with the source that states it and the quote that says so. ",
        "Search above, or start from a deal or a company.",
      ),
      section(
        "Deals",
        h(
          "ul",
          { class: "cards" },
          deals.nodes.map((deal) =>
            h(
              "li",
              {},
              link(deal, dealTitle(deal)),
              h("span", { class: "meta" }, deal.announcedOn ?? "undated"),
            ),
          ),
        ),
      ),
      section(
        `Companies (${companies.totalCount})`,
        h(
          "ul",
          { class: "columns" },
          companies.nodes.map((company) => h("li", {}, link(company))),
        ),
      ),
    ],
  };
}

