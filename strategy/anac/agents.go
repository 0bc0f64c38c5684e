package anac

import "github.com/parley-dev/parley"

// Entry is one agent of the package: its registry name, a one-line
// summary and a constructor with the options the agent competed with.
type Entry struct {
	Name, Summary string
	New           func() parley.Negotiator
}

// Agents lists the agents of the package in the order of the competitions
// they won or entered, each with its default options.
func Agents() []Entry {
	return []Entry{
		{"agentk", "AgentK (ANAC 2010 winner): targets from the mean and spread of the offers received, probabilistic acceptance",
			func() parley.Negotiator { return NewAgentK(AgentKOptions{}) }},
		{"hardheaded", "HardHeaded (ANAC 2011 winner): Boulware concession with a frequency opponent model",
			func() parley.Negotiator { return NewHardHeaded(HardHeadedOptions{}) }},
		{"nicetft", "Nice Tit-for-Tat (ANAC 2011): mirrors the opponent's concession towards the estimated Nash point",
			func() parley.Negotiator { return NewNiceTitForTat(NiceTitForTatOptions{}) }},
		{"cuhkagent", "CUHKAgent (ANAC 2012 winner): adaptive threshold with a discount- and toughness-dependent concede time",
			func() parley.Negotiator { return NewCUHK(CUHKOptions{}) }},
		{"atlas3", "Atlas3 (ANAC 2015 winner): threshold from a final-offer game, popular bids re-offered at the end",
			func() parley.Negotiator { return NewAtlas3(Atlas3Options{}) }},
		{"ponpoko", "PonPokoAgent (ANAC 2017 winner): one of five random threshold bands, no opponent model",
			func() parley.Negotiator { return NewPonPoko(PonPokoOptions{}) }},
		{"agentgg", "AgentGG (ANAC 2019 winner): time schedule towards the estimated Nash point, opponent's favourite bid in the band",
			func() parley.Negotiator { return NewAgentGG(AgentGGOptions{}) }},
	}
}
