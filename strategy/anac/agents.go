package anac

import "github.com/parley-dev/parley"

// Entry is one agent of the package: its registry name, a one-line
// summary, a constructor with the options the agent competed with, and
// one that also sets the agent's GuardReservation option to guard.
type Entry struct {
	Name, Summary string
	New           func() parley.Negotiator
	WithGuard     func(guard bool) parley.Negotiator
}

// Agents lists the agents of the package in the order of the competitions
// they won or entered, each with its default options.
func Agents() []Entry {
	es := []Entry{
		{Name: "agentk", Summary: "AgentK (ANAC 2010 winner): targets from the mean and spread of the offers received, probabilistic acceptance",
			WithGuard: func(g bool) parley.Negotiator { return NewAgentK(AgentKOptions{GuardReservation: g}) }},
		{Name: "hardheaded", Summary: "HardHeaded (ANAC 2011 winner): Boulware concession with a frequency opponent model",
			WithGuard: func(g bool) parley.Negotiator { return NewHardHeaded(HardHeadedOptions{GuardReservation: g}) }},
		{Name: "nicetft", Summary: "Nice Tit-for-Tat (ANAC 2011): mirrors the opponent's concession towards the estimated Nash point",
			WithGuard: func(g bool) parley.Negotiator { return NewNiceTitForTat(NiceTitForTatOptions{GuardReservation: g}) }},
		{Name: "cuhkagent", Summary: "CUHKAgent (ANAC 2012 winner): adaptive threshold with a discount- and toughness-dependent concede time",
			WithGuard: func(g bool) parley.Negotiator { return NewCUHK(CUHKOptions{GuardReservation: g}) }},
		{Name: "atlas3", Summary: "Atlas3 (ANAC 2015 winner): threshold from a final-offer game, popular bids re-offered at the end",
			WithGuard: func(g bool) parley.Negotiator { return NewAtlas3(Atlas3Options{GuardReservation: g}) }},
		{Name: "ponpoko", Summary: "PonPokoAgent (ANAC 2017 winner): one of five random threshold bands, no opponent model",
			WithGuard: func(g bool) parley.Negotiator { return NewPonPoko(PonPokoOptions{GuardReservation: g}) }},
		{Name: "agentgg", Summary: "AgentGG (ANAC 2019 winner): time schedule towards the estimated Nash point, opponent's favourite bid in the band",
			WithGuard: func(g bool) parley.Negotiator { return NewAgentGG(AgentGGOptions{GuardReservation: g}) }},
	}
	for i := range es {
		with := es[i].WithGuard
		es[i].New = func() parley.Negotiator { return with(false) }
	}
	return es
}
