package spec

// A FieldError reports the field of an options struct that is wrong, so
// that whoever filled it in (a command line, a configuration file) can
// name its own flag or key: Field is the field's Go name ("Runs",
// "Shard"), Value (possibly "") quotes the value at fault and Err says
// what is wrong with it. Every package that checks options (experiment,
// distrib, server/serve, ...) reports them with this one type.
type FieldError struct {
	Field, Value string
	Err          error
}

// Error returns "Field Value: Err", or "Field: Err" without a Value.
func (e *FieldError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Err.Error()
	}
	return e.Field + " " + e.Value + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }
