package tournament

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/parley-dev/parley"
	"github.com/parley-dev/parley/plan"
)

// Input is a Spec to Build, with where each of its settings came from, so
// that an error about a setting points at the tournament file's field
// (File.ErrorAt) or names the flag that gave it. FromFlags and File.Merge
// make one; a zero Input (with its Spec set) is a Spec from flags of which
// none was given.
type Input struct {
	Spec
	file     *File
	fromFile map[string]bool       // by YAML key: the value came from the file
	flag     func(key string) bool // by YAML key: the flag was given
}

// FromFlags returns the Input of a Spec given by the flags of 'parley
// tournament' alone; given reports whether the flag of a setting (by YAML
// key, e.g. "self_play") was given on the command line (nil: none was).
// Lists of specs are as Build takes them: one spec an element.
func FromFlags(flags Spec, given func(key string) bool) *Input {
	return &Input{Spec: flags, flag: given}
}

// Load returns the Input of 'parley tournament': of the flags alone
// (FromFlags) when path is "", else of the tournament file at path
// (ReadFile) overridden by the flags (File.Merge).
func Load(path string, flags Spec, given func(key string) bool) (*Input, error) {
	if path == "" {
		return FromFlags(flags, given), nil
	}
	f, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	return f.Merge(flags, given), nil
}

// Merge returns the Input of the file's settings overridden by flags, the
// settings of the command line (their defaults where no flag was given): a
// setting comes from flags when given reports its flag given (by YAML key)
// or when the file does not set it, and from the file otherwise.
func (f *File) Merge(flags Spec, given func(key string) bool) *Input {
	in := FromFlags(flags, given)
	in.Spec, in.file, in.fromFile = f.Spec, f, map[string]bool{}
	dst, src := reflect.ValueOf(&in.Spec).Elem(), reflect.ValueOf(flags)
	for i := range dst.NumField() {
		key := dst.Type().Field(i).Tag.Get("yaml")
		if in.flagGiven(key) || !f.Sets(key) {
			dst.Field(i).Set(src.Field(i))
			continue
		}
		in.fromFile[key] = true
	}
	return in
}

// given reports whether the setting of the YAML key was given, by the
// file or by its flag.
func (in *Input) given(key string) bool { return in.fromFile[key] || in.flagGiven(key) }

// flagGiven reports whether the flag of the YAML key was given.
func (in *Input) flagGiven(key string) bool { return in.flag != nil && in.flag(key) }

// errorAt returns err about the setting key at the YAML path (e.g.
// "agents[2]") of the input's file, with its position and the source line,
// or naming the flag when the value came from a flag.
func (in *Input) errorAt(key, path string, err error) error {
	if in.file == nil || !in.fromFile[key] {
		return fmt.Errorf("tournament: --%s: %w", strings.ReplaceAll(key, "_", "-"), err)
	}
	return in.file.ErrorAt(path, err)
}

// Build checks the input and builds its tournament through r: every agent,
// mediator and voter parsed and every scenario loaded before anything
// runs, and the result prepared (Config.Prepare). Its errors name the
// setting at fault (as a flag, or at the file's line and field), and any
// setting that does not apply to the tournament's protocol. It returns the
// Spec's shard as well (the zero Shard for none).
func Build(in *Input, r Resolver) (*Config, Shard, error) {
	var shard Shard
	proto, err := in.protocol()
	if err != nil {
		return nil, shard, err
	}
	if len(in.Agents) == 0 && proto != ProtocolMediated {
		return nil, shard, errors.New("tournament: no agents: give --agents a,b,... or agents: in the file")
	}
	if len(in.Scenarios) == 0 {
		return nil, shard, errors.New("tournament: no scenarios: give --scenarios NAME,PATH,... or scenarios: in the file")
	}
	if in.DB == "" {
		return nil, shard, errors.New("tournament: no results database: give --db FILE.db or db: in the file")
	}
	if in.Reps < 1 {
		return nil, shard, in.errorAt("reps", "reps", fmt.Errorf("%d repetitions: want at least 1", in.Reps))
	}
	if in.Deadline < 1 {
		return nil, shard, in.errorAt("deadline", "deadline", fmt.Errorf("%d rounds: want at least 1", in.Deadline))
	}
	if in.Workers < 0 {
		return nil, shard, in.errorAt("workers", "workers", fmt.Errorf("%d workers is negative", in.Workers))
	}
	limit, err := ParseLimit(in.Limit)
	if err != nil {
		return nil, shard, in.errorAt("limit", "limit", err)
	}
	deadline := in.Deadline
	if proto == ProtocolStaged {
		deadline = 0 // the stages' own rounds
	}
	if in.Shard != "" {
		if shard, err = ParseShard(in.Shard); err != nil {
			return nil, shard, in.errorAt("shard", "shard", err)
		}
	}
	timing, err := ParseTiming(in.Timing)
	if err != nil {
		return nil, shard, in.errorAt("timing", "timing", err)
	}
	cfg := &Config{Reps: in.Reps, Deadline: deadline, Seed: in.Seed, SelfPlay: in.SelfPlay, Timing: timing, Workers: in.Workers, Limit: limit,
		Protocol: proto, Variant: strings.TrimSpace(in.Variant)}
	seen := map[string]bool{}
	for i, spec := range in.Agents {
		spec = strings.TrimSpace(spec)
		f, err := load(r.Agent, spec)
		if err != nil {
			return nil, shard, in.errorAt("agents", fmt.Sprintf("agents[%d]", i), err)
		}
		if seen[spec] {
			return nil, shard, in.errorAt("agents", fmt.Sprintf("agents[%d]", i), fmt.Errorf("agent %q is listed twice", spec))
		}
		seen[spec] = true
		cfg.Competitors = append(cfg.Competitors, r.competitor(spec, f))
	}
	for i, ref := range in.Scenarios {
		ref = strings.TrimSpace(ref)
		sc, err := load(r.Scenario, ref)
		if err != nil {
			return nil, shard, in.errorAt("scenarios", fmt.Sprintf("scenarios[%d]", i), err)
		}
		cfg.Scenarios = append(cfg.Scenarios, sc)
		cfg.ScenarioRefs = append(cfg.ScenarioRefs, ref)
	}
	if err := in.mediation(cfg, r); err != nil {
		return nil, shard, err
	}
	if err := cfg.Prepare(); err != nil {
		return nil, shard, err
	}
	return cfg, shard, nil
}

// protocol decides the tournament's protocol (Spec.Protocol, or mediated
// for mediators without agents) and rejects the settings that do not apply
// to it, naming the flag (or the file's field).
func (in *Input) protocol() (Protocol, error) {
	var proto Protocol
	switch p := strings.ToLower(strings.TrimSpace(in.Protocol)); p {
	case "", "auto":
		proto = ProtocolSAO
		if len(in.Mediators) > 0 && len(in.Agents) == 0 {
			proto = ProtocolMediated
		}
	default:
		var err error
		if proto, err = ParseProtocol(p); err != nil {
			return "", in.errorAt("protocol", "protocol", fmt.Errorf("%q: want sao, mediated or staged", in.Protocol))
		}
	}
	refuse := func(key, why string) error {
		if !in.given(key) {
			return nil
		}
		return in.errorAt(key, key, errors.New(why))
	}
	var errs []error
	switch proto {
	case ProtocolSAO:
		const why = "applies to mediated and staged tournaments (--protocol mediated or staged), not to alternating offers"
		if len(in.Mediators) > 0 {
			errs = append(errs, refuse("mediators", why+" (give --agents for negotiators, or leave --agents out for a tournament of mediators)"))
		}
		errs = append(errs, refuse("voters", why), refuse("variant", "applies to staged tournaments (--protocol staged)"),
			refuse("rule", "applies to mediated tournaments (--protocol mediated)"), refuse("info", "applies to mediated tournaments (--protocol mediated)"),
			refuse("noise", "applies to mediated tournaments (--protocol mediated)"))
	case ProtocolMediated:
		if len(in.Agents) > 0 {
			errs = append(errs, refuse("agents", "a mediated tournament's competitors are its --mediators, voting with --voters: it takes no negotiators"))
		}
		if len(in.Mediators) == 0 {
			return "", errors.New("tournament: --protocol mediated: no mediators: give --mediators a,b,... (see 'parley agents')")
		}
		errs = append(errs, refuse("timing", "applies to alternating offers only"), refuse("self_play", "applies to negotiators, not to a mediated tournament"),
			refuse("variant", "applies to staged tournaments (--protocol staged)"))
	case ProtocolStaged:
		errs = append(errs, refuse("deadline", "a staged protocol's stages set their own rounds"), refuse("timing", "applies to alternating offers only"),
			refuse("rule", "a staged protocol's stages set their own rule"), refuse("info", "a staged protocol's stages set their own information level"),
			refuse("noise", "a staged protocol's stages set their own noise"))
		if len(in.Mediators) > 1 {
			errs = append(errs, in.errorAt("mediators", "mediators", fmt.Errorf("%d mediators: a staged tournament's agents compete under one mediator", len(in.Mediators))))
		}
	}
	for _, err := range errs {
		if err != nil {
			return "", err
		}
	}
	return proto, nil
}

// mediation fills the tournament's mediators, voters and mediated options
// from the input.
func (in *Input) mediation(cfg *Config, r Resolver) error {
	meds, voters := in.Mediators, in.Voters
	switch cfg.Protocol {
	case ProtocolSAO:
		return nil
	case ProtocolMediated:
		rule, info := in.Rule, in.Info
		if strings.TrimSpace(rule) == "" {
			rule = parley.RuleMediator.String()
		}
		if strings.TrimSpace(info) == "" {
			info = parley.InfoDeclared.String()
		}
		var err error
		if cfg.Rule, err = parley.ParseRule(rule); err != nil {
			return in.errorAt("rule", "rule", err)
		}
		if cfg.Info, err = parley.ParseInfo(info); err != nil {
			return in.errorAt("info", "info", err)
		}
		if cfg.Noise = in.Noise; math.IsNaN(in.Noise) || math.IsInf(in.Noise, 0) || in.Noise < 0 {
			return in.errorAt("noise", "noise", fmt.Errorf("%v: want a non-negative number", in.Noise))
		}
		if in.Noise > 0 && cfg.Info != parley.InfoDeclared {
			return in.errorAt("noise", "noise", fmt.Errorf("%v: noise perturbs declared profiles: it needs --info declared, not %s", in.Noise, cfg.Info))
		}
		if len(voters) == 0 {
			return errors.New("tournament: a mediated tournament needs voters: give --voters a,b,... (see 'parley agents')")
		}
	case ProtocolStaged:
		mediatedStage := false
		for i, sc := range cfg.Scenarios {
			if sc.Protocol == nil {
				return in.errorAt("scenarios", fmt.Sprintf("scenarios[%d]", i),
					fmt.Errorf("scenario %s declares no protocol to run staged (see docs/scenario-format.md, \"Protocol\")", cfg.ScenarioRefs[i]))
			}
			pl, err := plan.FromScenario(sc, cfg.Variant)
			if err != nil {
				return in.errorAt("variant", "variant", fmt.Errorf("%w (variants: %s)", err, strings.Join(plan.Variants(sc), ", ")))
			}
			for _, st := range pl.Stages {
				mediatedStage = mediatedStage || st.Mechanism == parley.MechanismMediated
			}
			policy, err := plan.MediatorPolicy(sc, cfg.Variant)
			if err != nil {
				return in.errorAt("scenarios", fmt.Sprintf("scenarios[%d]", i), err)
			}
			if !in.given("mediators") && mediatedStage {
				switch {
				case len(meds) == 0 && policy != "":
					meds = []string{policy}
				case policy != "" && policy != meds[0]:
					return fmt.Errorf("tournament: the scenarios' mediated stages declare different mediators (%s, %s): choose one with --mediators", meds[0], policy)
				}
			}
		}
		if !mediatedStage {
			for _, u := range []struct {
				key   string
				specs []string
			}{{"mediators", meds}, {"voters", voters}} {
				if len(u.specs) > 0 {
					return in.errorAt(u.key, u.key, errors.New("the scenarios' staged protocols have no mediated stage"))
				}
			}
			return nil
		}
		if len(voters) == 0 {
			voters = []string{r.DefaultVoter}
		}
	}
	for i, spec := range meds {
		spec = strings.TrimSpace(spec)
		f, err := load(r.Mediator, spec)
		if err != nil {
			return in.errorAt("mediators", fmt.Sprintf("mediators[%d]", i), err)
		}
		if cfg.Protocol == ProtocolMediated && cfg.Rule != parley.RuleMediator && r.AsDesigned != nil && !r.AsDesigned(f(), cfg.Rule) {
			return in.errorAt("rule", "rule", fmt.Errorf("%s: mediator %q adopts rejected proposals only under rule %q: under %q it would run as hill-climbing",
				cfg.Rule, spec, parley.RuleMediator, cfg.Rule))
		}
		cfg.Mediators = append(cfg.Mediators, Mediator{Name: spec, New: f})
	}
	for i, spec := range voters {
		spec = strings.TrimSpace(spec)
		f, err := load(r.Voter, spec)
		if err != nil {
			return in.errorAt("voters", fmt.Sprintf("voters[%d]", i), err)
		}
		cfg.Voters = append(cfg.Voters, Voter{Name: spec, New: f})
	}
	return nil
}

// ParseTiming reads a tournament's timing (Spec.Timing): auto (or ""),
// steps or genius, in any case.
func ParseTiming(s string) (Timing, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return TimingAuto, nil
	case string(TimingSteps):
		return TimingSteps, nil
	case string(TimingGENIUS):
		return TimingGENIUS, nil
	}
	return "", fmt.Errorf("%q: want auto, %s or %s", s, TimingSteps, TimingGENIUS)
}

// ParseLimit reads the wall-time limit of one negotiation (Spec.Limit,
// Config.Limit): a duration such as "30s", or "" or "0" for none.
func ParseLimit(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("limit %q: want a duration such as 30s or 2m", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("limit %v is negative", d)
	}
	return d, nil
}
