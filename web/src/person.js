// A person: their roles at companies, each with its evidence.
import { graphql, h, link, NotFound, section, words } from "./api.js";

const QUERY = `query Person($slug: String!) { person(slug: $slug) { name aliases description
  roles { title kind current startedOn endedOn company { __typename slug name }
    evidence { quote source { __typename slug title } } } } }`;

export async function render({ slug }) {
  const { person } = await graphql(QUERY, { slug });
  if (!person) throw new NotFound();
  return {
    title: person.name,
    content: [
      h("h1", {}, person.name),
      person.aliases.length > 0 && h("p", { class: "meta" }, `Also: ${person.aliases.join(", ")}`),
      person.description && h("p", {}, person.description),
      section(
        "Roles",
        h(
          "ul",
          { class: "cards" },
          person.roles.map((role) =>
            h(
              "li",
              {},
              `${role.title} (${words(role.kind)}${role.current === false ? ", former" : ""}) at `,
              link(role.company),
              role.evidence.map((evidence) => h("blockquote", {}, `“${evidence.quote}” — `, link(evidence.source))),
            ),
          ),
        ),
      ),
    ],
  };
}
