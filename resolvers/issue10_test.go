package resolvers_test

import (
	"strings"
	"testing"
)

// The chat's write-up counts "38 participating organizations": the
// participants without the two hosts.
func TestParticipantsByRole(t *testing.T) {
	type conn struct {
		TotalCount int   `json:"totalCount"`
		Nodes      []ref `json:"nodes"`
	}
	got := query[struct {
		Event struct {
			All         conn `json:"all"`
			Hosts       conn `json:"hosts"`
			Participant conn `json:"participant"`
			Presenter   conn `json:"presenter"`
		} `json:"event"`
		Webinar struct {
			Presenter conn `json:"presenter"`
		} `json:"webinar"`
	}](t, `query($id: ID!, $w: ID!) {
	  event(id: $id) {
	    all: participants(role: null, first: 100) { totalCount }
	    hosts: participants(role: "HOST") { totalCount nodes { id name } }
	    participant: participants(role: "PARTICIPANT", first: 100) { totalCount nodes { name } }
	    presenter: participants(role: "presenter") { totalCount }
	  }
	  webinar: event(id: $w) { presenter: participants(role: "PRESENTER", first: 2) { totalCount nodes { name } } }
	}`, map[string]any{"id": chat, "w": webinar})
	e := got.Event
	equal(t, "every role", e.All.TotalCount, 40)
	equal(t, "hosts", namesOf(e.Hosts.Nodes), byName([]string{"WES Mariam Assefa Fund", "WES Global Talent Bridge Program"}))
	equal(t, "participating organizations", e.Participant.TotalCount, 38)
	equal(t, "participants", namesOf(e.Participant.Nodes), byName(chatOrgs[2:]))
	equal(t, "presenters of the chat", e.Presenter.TotalCount, 0)
	equal(t, "presenters of the webinar", got.Webinar.Presenter.TotalCount, 4)
	equal(t, "first two presenters", len(got.Webinar.Presenter.Nodes), 2)

	resp := queryRaw(t, `{ event(id: "immigrantsthrive") { participants(role: "SPEAKER") { totalCount } } }`, nil)
	e0 := onlyError(t, resp, "BAD_USER_INPUT")
	if !strings.Contains(e0.Message, `"SPEAKER" is not a role`) {
		t.Errorf("message: %q", e0.Message)
	}
}
