// A GraphQL client for the one endpoint the explorer talks to.

/** GraphQLError carries the errors of a GraphQL answer. */
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }
}

/**
 * client returns a function that sends one operation to endpoint and resolves
 * to its data; answers with errors reject with a GraphQLError.
 */
export function client(endpoint) {
  return async function gql(query, variables = {}) {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      credentials: 'same-origin',
    });
    let body;
    try {
      body = await res.json();
    } catch {
      throw new Error(`the GraphQL endpoint answered HTTP ${res.status} without JSON`);
    }
    if (body.errors && body.errors.length) throw new GraphQLError(body.errors);
    return body.data;
  };
}

const NODE_FIELDS = `fragment N on Node {
  __typename id name
  ... on Organization { kinds themes { id } policyLevels { id } }
  ... on Event { kind startDate }
}`;

const SOURCE_FIELDS = 'id title url publisher published';

/** The operations of the explorer, by name. */
export const Q = {
  search: `query ExplorerSearch($text: String!) {
  search(text: $text, first: 8) { score node { __typename id name } }
}`,

  neighborhood: `query ExplorerNeighborhood($id: ID!, $depth: Int!, $limit: Int!) {
  neighborhood(id: $id, depth: $depth, limit: $limit) {
    truncated
    nodes { depth node { ...N } }
    edges { from { id } to { id } relation source { ${SOURCE_FIELDS} } }
  }
}
${NODE_FIELDS}`,

  card: `query ExplorerCard($id: ID!) {
  node(id: $id) {
    __typename id name aliases description
    sources { ${SOURCE_FIELDS} }
    ... on Organization {
      kinds
      places { id name }
      themeLinks { theme { id name } stated via { id name } }
      policyLevels { id name }
      people { title person { id name } }
      events { role event { id name startDate } }
      partners(first: 1) { totalCount }
    }
    ... on Event {
      kind startDate
      partOf { id name }
      hosts { id name }
      speakers { id name }
      themes { id name }
      participants(first: 50) { totalCount nodes { id name } }
      questions
    }
    ... on Person { affiliations { title organization { id name } } events { id name startDate } }
    ... on Theme {
      policyLevels { id name }
      events { id name startDate }
      broader { id name }
      narrower { id name }
      organizationCount: organizations(first: 1) { totalCount }
    }
    ... on PolicyLevel { themes { id name } organizationCount: organizations(first: 1) { totalCount } }
    ... on Place { organizations { id name } }
  }
}`,

  facets: `query ExplorerFacets {
  facets(first: 50) {
    total
    themes { node { id name } count }
    policyLevels { node { id name } count }
  }
}`,

  path: `query ExplorerPath($from: ID!, $to: ID!) {
  path(from: $from, to: $to) {
    length
    steps { node { ...N } relation source { ${SOURCE_FIELDS} } }
  }
}
${NODE_FIELDS}`,

  introductions: `query ExplorerIntroductions($id: ID!) {
  introductions(organization: $id, first: 10) {
    organization { ...N }
    score
    themes { theme { id name } a { stated via { id name } } b { stated via { id name } } }
    policyLevels { id name }
  }
}
${NODE_FIELDS}`,

  start: `query ExplorerStart {
  organizations(orderBy: DEGREE, first: 8) { nodes { id name } }
}`,
};
