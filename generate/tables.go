package generate

import "github.com/thrivegraph/thrivegraph/graph"

// state is a US state and the cities the generator places organizations in.
type state struct {
	name   string
	abbr   string
	cities []string
}

// states are the places of generated networks: states where immigrant and
// refugee inclusion work is dense, and some of their cities. City names are
// unique across states.
var states = []state{
	{"California", "CA", []string{"Los Angeles", "San Diego", "San Jose", "Fresno", "Oakland", "Sacramento", "Santa Ana"}},
	{"Texas", "TX", []string{"Houston", "Austin", "Dallas", "San Antonio", "El Paso", "Fort Worth"}},
	{"New York", "NY", []string{"New York City", "Buffalo", "Rochester", "Syracuse", "Albany", "Utica"}},
	{"Florida", "FL", []string{"Miami", "Orlando", "Tampa", "Jacksonville", "Hialeah"}},
	{"Illinois", "IL", []string{"Chicago", "Aurora", "Rockford", "Elgin"}},
	{"New Jersey", "NJ", []string{"Newark", "Jersey City", "Paterson", "Elizabeth"}},
	{"Massachusetts", "MA", []string{"Boston", "Worcester", "Lowell", "Lynn", "Springfield"}},
	{"Washington", "WA", []string{"Seattle", "Spokane", "Tacoma", "Kent", "Yakima"}},
	{"Maryland", "MD", []string{"Baltimore", "Silver Spring", "Hyattsville", "Frederick"}},
	{"Virginia", "VA", []string{"Richmond", "Alexandria", "Arlington", "Norfolk"}},
	{"Georgia", "GA", []string{"Atlanta", "Clarkston", "Savannah", "Gainesville"}},
	{"Pennsylvania", "PA", []string{"Philadelphia", "Pittsburgh", "Allentown", "Lancaster", "Erie"}},
	{"Ohio", "OH", []string{"Cleveland", "Columbus", "Cincinnati", "Dayton", "Akron"}},
	{"Michigan", "MI", []string{"Detroit", "Dearborn", "Grand Rapids", "Lansing", "Hamtramck"}},
	{"Minnesota", "MN", []string{"Minneapolis", "Saint Paul", "Bloomington", "St. Cloud"}},
	{"Arizona", "AZ", []string{"Phoenix", "Tucson", "Mesa", "Yuma"}},
	{"Colorado", "CO", []string{"Denver", "Lakewood", "Colorado Springs", "Greeley"}},
	{"North Carolina", "NC", []string{"Charlotte", "Raleigh", "Durham", "Greensboro"}},
	{"Missouri", "MO", []string{"St. Louis", "Kansas City", "Columbia"}},
	{"Kentucky", "KY", []string{"Louisville", "Lexington", "Bowling Green"}},
	{"Tennessee", "TN", []string{"Nashville", "Memphis", "Knoxville"}},
	{"Oregon", "OR", []string{"Portland", "Salem", "Eugene"}},
	{"Utah", "UT", []string{"Salt Lake City", "Provo", "Ogden"}},
	{"Nebraska", "NE", []string{"Omaha", "Lincoln", "Grand Island"}},
	{"Iowa", "IA", []string{"Des Moines", "Cedar Rapids", "Storm Lake"}},
	{"Idaho", "ID", []string{"Boise", "Twin Falls"}},
	{"Connecticut", "CT", []string{"Hartford", "New Haven", "Bridgeport"}},
	{"Wisconsin", "WI", []string{"Milwaukee", "Madison", "Green Bay"}},
}

// city is one city with its state.
type city struct {
	name  string
	state int // index into states
}

var cities = func() []city {
	var out []city
	for si, s := range states {
		for _, c := range s.cities {
			out = append(out, city{c, si})
		}
	}
	return out
}()

// cityName is the place name of a city: its name and state ("Austin, TX").
func cityName(c city) string { return c.name + ", " + states[c.state].abbr }

// orgPattern names organizations after a city: %s is the city.
type orgPattern struct {
	format string
	kinds  []string
}

var orgPatterns = []orgPattern{
	{"%s Refugee Services", []string{"service provider"}},
	{"International Institute of %s", []string{"service provider"}},
	{"%s Immigrant Rights Coalition", []string{"coalition", "advocacy group"}},
	{"%s Community College", []string{"community college"}},
	{"%s Office of New Americans", []string{"city office"}},
	{"%s Workforce Partnership", []string{"workforce board"}},
	{"%s Community Foundation", []string{"funder"}},
	{"Welcoming %s", []string{"coalition"}},
	{"%s Adult Learning Center", []string{"adult education provider"}},
	{"%s Federal Credit Union", []string{"bank"}},
	{"%s Immigrant Legal Services", []string{"legal services"}},
	{"%s Economic Opportunity Fund", []string{"funder", "community development financial institution"}},
	{"%s Language Access Network", []string{"service provider"}},
	{"%s Newcomer Business Alliance", []string{"business association"}},
	{"%s Career Pathways Institute", []string{"training provider"}},
	{"%s Health Careers Bridge", []string{"training provider"}},
	{"%s Center for Immigrant Research", []string{"research institute"}},
	{"%s Worker Center", []string{"worker center"}},
	{"%s Public Library New Americans Corner", []string{"library"}},
	{"%s Chamber of Commerce Immigrant Entrepreneurs Program", []string{"business association"}},
	{"%s Interfaith Refugee Ministry", []string{"faith-based organization", "service provider"}},
	{"%s Hospitality Training Academy", []string{"employer", "training provider"}},
	{"%s Digital Equity Lab", []string{"service provider"}},
	{"%s Mayor's Office of Immigrant Affairs", []string{"city office"}},
	{"%s Family Literacy Project", []string{"adult education provider"}},
	{"%s Credential Recognition Program", []string{"service provider"}},
	{"%s Microenterprise Loan Fund", []string{"community development financial institution"}},
	{"%s Latino Economic Development Center", []string{"service provider"}},
	{"%s African Immigrant Alliance", []string{"community-based organization"}},
	{"%s Asian Pacific Community Network", []string{"community-based organization"}},
}

// districts vary names when the patterns and cities run out.
var districts = []string{"Greater", "North", "South", "East", "West", "Central", "Metro", "Downtown", "Upper", "Lower"}

// theme is one theme of the generated taxonomy.
type theme struct {
	name    string
	levels  []string
	broader string // name of the wider theme, "" for a top theme
	weight  int    // how often events discuss it
}

var themes = []theme{
	{"Economic inclusion of immigrants", []string{"federal", "state", "local"}, "", 6},
	{"Workforce development", []string{"federal", "state", "local"}, "Economic inclusion of immigrants", 10},
	{"Adult education and English learning", []string{"state", "local"}, "Workforce development", 8},
	{"Credential recognition", []string{"state"}, "Workforce development", 6},
	{"Occupational licensing reform", []string{"state"}, "Credential recognition", 3},
	{"Apprenticeships and career pathways", []string{"federal", "state"}, "Workforce development", 5},
	{"Job quality and worker safety", []string{"federal", "state"}, "Workforce development", 4},
	{"Financial inclusion", []string{"federal", "local"}, "Economic inclusion of immigrants", 5},
	{"Access to capital for immigrant entrepreneurs", []string{"local"}, "Financial inclusion", 4},
	{"Credit building", []string{"local"}, "Financial inclusion", 2},
	{"Digital inclusion", []string{"federal", "local"}, "Economic inclusion of immigrants", 5},
	{"Language access", []string{"state", "local"}, "Economic inclusion of immigrants", 4},
	{"Refugee resettlement", []string{"federal"}, "Economic inclusion of immigrants", 6},
	{"Humanitarian parole and asylum seekers", []string{"federal"}, "Refugee resettlement", 3},
	{"Immigration policy and advocacy", []string{"federal"}, "", 5},
	{"Work authorization", []string{"federal"}, "Immigration policy and advocacy", 3},
	{"Welcoming cities", []string{"local"}, "", 5},
	{"Municipal offices of immigrant affairs", []string{"local"}, "Welcoming cities", 3},
	{"Cross-sector partnerships", []string{"federal", "state", "local"}, "", 6},
	{"Employer engagement", []string{"local"}, "Cross-sector partnerships", 5},
	{"Philanthropy and funding", []string{"federal", "state", "local"}, "", 4},
	{"Equitable economic recovery", []string{"federal", "state", "local"}, "Economic inclusion of immigrants", 3},
	{"Data and research on immigrant workers", []string{"federal", "state"}, "", 2},
	{"Health care workforce", []string{"state"}, "Workforce development", 3},
	{"Child care and family supports", []string{"state", "local"}, "", 2},
	{"Housing and homeownership", []string{"local"}, "Financial inclusion", 2},
}

// eventKind is a kind of event and how it assigns roles.
type eventKind struct {
	kind       string
	title      string // as it appears in names
	weight     int
	maxHosts   int
	presenters [2]int // min, max
	local      bool   // tied to the host's city and state
}

var eventKinds = []eventKind{
	{"webinar", "Webinar", 30, 1, [2]int{1, 4}, false},
	{"convening", "Convening", 15, 2, [2]int{2, 6}, true},
	{"conference", "Conference", 8, 2, [2]int{3, 8}, true},
	{"twitter chat", "Twitter Chat", 8, 2, [2]int{0, 0}, false},
	{"workshop", "Workshop", 15, 1, [2]int{1, 2}, true},
	{"roundtable", "Roundtable", 12, 1, [2]int{0, 2}, true},
	{"summit", "Summit", 5, 2, [2]int{3, 8}, true},
	{"town hall", "Town Hall", 7, 1, [2]int{1, 3}, true},
}

// topics name events; each ties to a theme (an index into themes).
var topics = []struct {
	phrase string
	theme  int
}{
	{"Immigrant Workforce", 1}, {"English for Work", 2}, {"Credentials That Count", 3},
	{"Licensing Reform", 4}, {"Career Pathways", 5}, {"Safe Jobs", 6},
	{"Banking the Newcomer", 7}, {"Immigrant Entrepreneurs", 8}, {"Building Credit", 9},
	{"Digital Skills", 10}, {"Language Justice", 11}, {"Refugee Employment", 12},
	{"Parolee Pathways", 13}, {"Policy Update", 14}, {"Work Permits", 15},
	{"Welcoming Communities", 16}, {"New Americans Offices", 17}, {"Partnership", 18},
	{"Employer Champions", 19}, {"Funders", 20}, {"Inclusive Recovery", 21},
	{"Data Walk", 22}, {"Health Workforce", 23}, {"Family Supports", 24}, {"Homeownership", 25},
}

var questions = []string{
	"What barriers keep immigrant workers from quality jobs in our region?",
	"How can employers recognize credentials earned abroad?",
	"Which state policies have widened access to training?",
	"How can funders support immigrant-led organizations?",
	"What does an inclusive recovery look like for refugees?",
	"How do we measure the economic contributions of immigrants locally?",
	"What role can community colleges play in career pathways?",
	"How can cities make services accessible in every language?",
}

var firstNames = []string{
	"Maria", "Jose", "Ahmed", "Fatima", "Nguyen", "Li", "Wei", "Amina", "Carlos", "Ana",
	"Mohamed", "Aisha", "Juan", "Sofia", "Daniel", "Grace", "Omar", "Leila", "Samuel", "Elena",
	"Hassan", "Mariam", "Luis", "Isabel", "David", "Sarah", "Yusuf", "Hana", "Miguel", "Lucia",
	"Abdi", "Hodan", "Pedro", "Carmen", "Kwame", "Ama", "Raj", "Priya", "Tomas", "Julia",
	"Arturo", "Rosa", "Emmanuel", "Esther", "Karim", "Noor", "Diego", "Valentina", "Jean", "Marie",
	"Ivan", "Olena", "Tenzin", "Pema", "Bao", "Mai", "Kofi", "Efua", "Rafael", "Beatriz",
	"Samir", "Rania", "Andres", "Camila", "Joseph", "Ruth", "Ali", "Zainab", "Hector", "Gloria",
	"Jamal", "Nadia", "Oscar", "Teresa", "Patrick", "Helen", "Victor", "Alejandra", "Thomas", "Cristina",
}

var lastNames = []string{
	"Garcia", "Rodriguez", "Nguyen", "Hernandez", "Kim", "Ali", "Mohamed", "Lopez", "Chen", "Patel",
	"Gonzalez", "Tran", "Hassan", "Martinez", "Wang", "Ahmed", "Perez", "Le", "Ibrahim", "Sanchez",
	"Singh", "Ramirez", "Park", "Abdi", "Torres", "Pham", "Osman", "Flores", "Liu", "Khan",
	"Rivera", "Yusuf", "Gomez", "Huang", "Mensah", "Diaz", "Shah", "Cruz", "Zhang", "Okafor",
	"Morales", "Vu", "Haile", "Reyes", "Lee", "Tesfaye", "Ortiz", "Choi", "Juarez", "Mwangi",
	"Castillo", "Dang", "Warsame", "Ruiz", "Yang", "Adeyemi", "Mendoza", "Ho", "Farah", "Alvarez",
	"Romero", "Kaur", "Vargas", "Sato", "Bekele", "Jimenez", "Nakamura", "Mahmoud", "Castro", "Hussein",
	"Silva", "Kowalski", "Petrenko", "Dubois", "Haddad", "Aziz", "Murphy", "Novak", "Rahman", "Bui",
}

// titles of people at their main organization, most common first.
var titles = []string{
	"Executive Director", "Program Manager", "Director of Workforce Development",
	"Policy Analyst", "Program Officer", "Senior Program Officer", "Case Manager",
	"Director of Economic Inclusion", "Chief Executive Officer", "Employment Specialist",
	"Director of Policy", "Community Organizer", "Adult Education Coordinator",
	"Research Fellow", "Deputy Director", "Financial Coach",
}

// boardTitles are the titles of people's second affiliations.
var boardTitles = []string{"Board Member", "Advisory Council Member", "Board Chair", "Senior Fellow"}

// stateKinds are the kinds whose organizations work at the state level.
var stateKinds = map[string]string{
	"city office":    "local",
	"advocacy group": "state",
	"coalition":      "state",
	"funder":         "local",
}

// The years of generated events; each has a National Welcoming Week.
const firstYear, lastYear = 2012, 2025

// umbrellaName names the Welcoming Week of a year.
func umbrellaName(year int) string { return "National Welcoming Week " + itoa(year) }

// taxonomy is the batch every generated network shares: places, themes,
// policy levels and the yearly Welcoming Weeks.
func taxonomy(sourceID string) *graph.Batch {
	pub := "2025-01-01"
	publisher := "ThriveGraph generator"
	note := "Synthetic data made by `thrivegraph generate`: names, people and events are invented; no fact is real."
	b := &graph.Batch{Source: graph.Source{ID: sourceID, Title: "Synthetic network: places, themes and policy levels", Publisher: &publisher, Published: &pub, Note: &note}}
	for _, l := range []string{"Federal", "State", "Local"} {
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: graph.Slug(l), Type: graph.TypePolicyLevel, Name: l})
	}
	for _, s := range states {
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: graph.Slug(s.name), Type: graph.TypePlace, Name: s.name, Aliases: []string{s.abbr}})
	}
	for _, c := range cities {
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: graph.Slug(cityName(c)), Type: graph.TypePlace, Name: cityName(c), Aliases: []string{c.name}})
	}
	for _, t := range themes {
		id := graph.Slug(t.name)
		b.Nodes = append(b.Nodes, graph.NodeRecord{ID: id, Type: graph.TypeTheme, Name: t.name})
		for _, l := range t.levels {
			b.Links = append(b.Links, graph.Link{From: id, Relation: graph.RelPolicyLevel, To: l})
		}
		if t.broader != "" {
			b.Links = append(b.Links, graph.Link{From: id, Relation: graph.RelBroader, To: graph.Slug(t.broader)})
		}
	}
	for y := firstYear; y <= lastYear; y++ {
		b.Nodes = append(b.Nodes, graph.NodeRecord{
			ID: graph.Slug(umbrellaName(y)), Type: graph.TypeEvent, Name: umbrellaName(y),
			EventKind: "week", StartDate: itoa(y) + "-09-12",
			Description: "A week of events across the country that bring immigrants and long-time residents together.",
		})
		b.Links = append(b.Links, graph.Link{From: graph.Slug(umbrellaName(y)), Relation: graph.RelTheme, To: graph.Slug("Welcoming cities")})
	}
	return b
}
