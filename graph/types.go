package graph

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// NodeType is the kind of an entity node.
type NodeType string

// The entity types. Every entity has an id unique across all of them.
const (
	TypeOrganization NodeType = "Organization"
	TypeEvent        NodeType = "Event"
	TypePerson       NodeType = "Person"
	TypeTheme        NodeType = "Theme"
	TypePolicyLevel  NodeType = "PolicyLevel"
	TypePlace        NodeType = "Place"
)

// NodeTypes lists the entity types in a fixed order.
var NodeTypes = []NodeType{TypeOrganization, TypeEvent, TypePerson, TypeTheme, TypePolicyLevel, TypePlace}

// PolicyLevelIDs are the only policy levels the graph knows.
var PolicyLevelIDs = []string{"federal", "state", "local"}

// Role is an organization's part in an event.
type Role string

// The roles of a participation.
const (
	RoleHost        Role = "HOST"
	RoleParticipant Role = "PARTICIPANT"
	RolePresenter   Role = "PRESENTER"
)

// Source is a document that states facts. Every fact in the graph carries the
// source it came from.
type Source struct {
	ID        string
	Title     string
	URL       *string
	Publisher *string
	Published *string // ISO 8601 date
	Document  *string // file name of the document, when it is part of the seed
	Note      *string
	Authors   []string // person ids
}

// Entity holds what every node has: id, name, aliases and its sources.
type Entity struct {
	ID          string
	Type        NodeType
	Name        string
	Aliases     []string
	Description *string
	Sources     []Source
}

// NodeID returns the id; it makes every entity a Node.
func (e *Entity) NodeID() string { return e.ID }

// NodeType returns the entity's type.
func (e *Entity) NodeType() NodeType { return e.Type }

// Node is any entity node: *Organization, *Event, *Person, *Theme,
// *PolicyLevel or *Place.
type Node interface {
	NodeID() string
	NodeType() NodeType
}

// Organization is a nonprofit, funder, college, office, business or coalition.
type Organization struct {
	Entity
	Kinds []string
}

// Event is a webinar, chat, campaign week or any gathering.
type Event struct {
	Entity
	Kind      string
	StartDate *string // ISO 8601 date
	Questions []string
}

// Person is someone who speaks, works or writes in the field.
type Person struct{ Entity }

// Theme is a topic, approach or takeaway.
type Theme struct{ Entity }

// PolicyLevel is federal, state or local.
type PolicyLevel struct{ Entity }

// Place is a city, state or country.
type Place struct{ Entity }

// Participation is an organization's part in an event.
type Participation struct {
	EventID        string
	OrganizationID string
	Role           Role
	SourceID       string
}

// Affiliation ties a person to an organization, with a title when known.
type Affiliation struct {
	PersonID       string
	OrganizationID string
	Title          *string
	SourceID       string
}

// Figure is a number a source states about something (a node).
type Figure struct {
	ID        string
	Value     string
	Statement string
	About     []string // node ids
	Sources   []Source
}

// ThemeLink says why a theme belongs to an organization: stated by a source,
// or derived from the events the organization took part in.
type ThemeLink struct {
	ThemeID string
	Stated  bool
	Via     []string // event ids through which the theme is derived
}

// PolicyLevelLink says why a policy level belongs to an organization:
// stated by a source, or derived from the organization's themes (stated or
// derived) tied to the level.
type PolicyLevelLink struct {
	PolicyLevelID string
	Stated        bool
	Via           []string // theme ids through which the level is derived
}

// Relation is a typed edge between two entities.
type Relation string

// The relations, named in their stored direction (subject → object).
const (
	RelHosted         Relation = "hosted"         // Organization → Event
	RelParticipatedIn Relation = "participatedIn" // Organization → Event
	RelPresentedAt    Relation = "presentedAt"    // Organization → Event
	RelMemberOf       Relation = "memberOf"       // Person → Organization
	RelSpokeAt        Relation = "spokeAt"        // Person → Event
	RelPartOf         Relation = "partOf"         // Event → Event
	RelTheme          Relation = "theme"          // Organization|Event → Theme
	RelPolicyLevel    Relation = "policyLevel"    // Organization|Theme → PolicyLevel
	RelPlace          Relation = "place"          // Organization|Event → Place
	RelBroader        Relation = "broader"        // Theme → Theme (SKOS broader: the object is the wider theme)
)

// Relations lists every relation in a fixed order.
var Relations = []Relation{RelHosted, RelParticipatedIn, RelPresentedAt, RelMemberOf, RelSpokeAt, RelPartOf, RelTheme, RelPolicyLevel, RelPlace, RelBroader}

// inverseNames name a relation walked against its stored direction.
var inverseNames = map[Relation]string{
	RelHosted:         "hostedBy",
	RelParticipatedIn: "hadParticipant",
	RelPresentedAt:    "hadPresenter",
	RelMemberOf:       "hasMember",
	RelSpokeAt:        "hadSpeaker",
	RelPartOf:         "hasPart",
	RelTheme:          "themeOf",
	RelPolicyLevel:    "policyLevelOf",
	RelPlace:          "placeOf",
	RelBroader:        "narrower",
}

// Name returns the relation's name walked forward, or its inverse name.
func (r Relation) Name(forward bool) string {
	if forward {
		return string(r)
	}
	return inverseNames[r]
}

// ParseRole reads a participation role (HOST, PARTICIPANT or PRESENTER, in
// any case); an unknown role is an error with code BAD_USER_INPUT.
func ParseRole(op, field, s string) (Role, error) {
	r := Role(strings.ToUpper(strings.TrimSpace(s)))
	if _, ok := RoleRelation[r]; !ok {
		return "", Errorf(CodeInvalid, op, "%s: %q is not a role: want HOST, PARTICIPANT or PRESENTER", field, s)
	}
	return r, nil
}

// RoleRelation maps a participation role to its relation.
var RoleRelation = map[Role]Relation{RoleHost: RelHosted, RoleParticipant: RelParticipatedIn, RolePresenter: RelPresentedAt}

// relationRole is the inverse of RoleRelation.
var relationRole = map[Relation]Role{RelHosted: RoleHost, RelParticipatedIn: RoleParticipant, RelPresentedAt: RolePresenter}

// Fold lower-cases s, removes accents and maps every run of characters that
// are not ASCII letters or digits to one space. It is the one normalisation
// used by ids, search and name filters.
func Fold(s string) string {
	folded := s
	if !isASCII(s) { // ASCII has no accents to take off
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		var err error
		if folded, _, err = transform.String(t, s); err != nil {
			folded = s
		}
	}
	var b strings.Builder
	b.Grow(len(folded))
	space := false
	for _, r := range strings.ToLower(folded) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Slug returns the id of a name: lower case ASCII, accents folded, runs of
// other characters turned into one "-".
func Slug(name string) string { return strings.ReplaceAll(Fold(name), " ", "-") }

// ValidID reports whether id has the form of a slug.
func ValidID(id string) bool { return id != "" && Slug(id) == id }

// ParseDate checks an ISO 8601 calendar date (YYYY-MM-DD).
func ParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// RelationNamed returns the relation a name stands for: its stored name or
// its inverse name (hadParticipant is participatedIn walked backwards).
func RelationNamed(name string) (Relation, bool) {
	for _, r := range Relations {
		if name == string(r) || name == inverseNames[r] {
			return r, true
		}
	}
	return "", false
}
