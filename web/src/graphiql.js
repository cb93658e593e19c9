// GraphiQL at /graphql, served by dealgraph itself: no asset comes from another host.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import query from "./example.graphql?raw";
import variables from "./example.json?raw";

const fetcher = createGraphiQLFetcher({ url: "/graphql" });
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

createRoot(document.getElementById("graphiql")).render(
  // The README's example with its variables filled in: GraphiQL opens on it (in a tab of its own
  // beside any a visitor saved before).
  createElement(GraphiQL, {
    fetcher,
    plugins,
    initialQuery: query,
    initialVariables: variables,
    defaultEditorToolsVisibility: "variables",
  }),
);
