package graph

// Batch is one source's facts, validated and ready to be written. The loader
// builds batches from files; the store turns them into quads labelled with
// the source.
type Batch struct {
	Source       Source
	Nodes        []NodeRecord
	Links        []Link
	Affiliations []Affiliation // SourceID is taken from the batch
	Figures      []Figure      // Sources is taken from the batch
}

// NodeRecord is what a source states about one entity.
type NodeRecord struct {
	ID          string
	Type        NodeType
	Name        string
	Aliases     []string
	Description string   // "" when the source gives none
	Kinds       []string // organizations
	EventKind   string   // events
	StartDate   string   // events: YYYY-MM-DD, or ""
	Questions   []string // events
}

// Link is a typed edge a source states between two entities.
type Link struct {
	From     string
	Relation Relation
	To       string
}

// Endpoints gives, for each relation, the types its subject and object may have.
var Endpoints = map[Relation]struct{ From, To []NodeType }{
	RelHosted:         {[]NodeType{TypeOrganization}, []NodeType{TypeEvent}},
	RelParticipatedIn: {[]NodeType{TypeOrganization}, []NodeType{TypeEvent}},
	RelPresentedAt:    {[]NodeType{TypeOrganization}, []NodeType{TypeEvent}},
	RelMemberOf:       {[]NodeType{TypePerson}, []NodeType{TypeOrganization}},
	RelSpokeAt:        {[]NodeType{TypePerson}, []NodeType{TypeEvent}},
	RelPartOf:         {[]NodeType{TypeEvent}, []NodeType{TypeEvent}},
	RelTheme:          {[]NodeType{TypeOrganization, TypeEvent}, []NodeType{TypeTheme}},
	RelPolicyLevel:    {[]NodeType{TypeOrganization, TypeTheme}, []NodeType{TypePolicyLevel}},
	RelPlace:          {[]NodeType{TypeOrganization, TypeEvent}, []NodeType{TypePlace}},
	RelBroader:        {[]NodeType{TypeTheme}, []NodeType{TypeTheme}},
}
