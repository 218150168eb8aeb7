// ThriveGraph GraphQL IDE: starts GraphiQL (UMD build, loaded before this file
// together with React and ReactDOM). The endpoint and the example tabs come
// from the page's JSON block #ide-config, so that no inline script is needed
// and the Content-Security-Policy can keep script-src to 'self'.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var cfg = JSON.parse(document.getElementById('ide-config').textContent);
  var fetcher = GraphiQL.createFetcher({
    url: new URL(cfg.endpoint, window.location.href).href,
  });
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: cfg.defaultQuery,
      defaultTabs: cfg.defaultTabs,
      defaultEditorToolsVisibility: false,
    }),
  );
})();
