package view

// Succeeding returns s as the snapshot that follows prev: the same graph
// as s, with a version larger than prev's. A snapshot built anew from the
// store (a read model rebuilt while serving) starts its versions again from
// the builder's; caches keyed on versions (the response cache, the
// per-snapshot analyses of package network) would take it for an older
// snapshot than the one it replaces, or for another of the same version.
func (s *Snapshot) Succeeding(prev *Snapshot) *Snapshot {
	next := *s
	next.version = max(s.version, prev.version) + 1
	return &next
}
