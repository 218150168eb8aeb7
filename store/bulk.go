package store

// bulkThreshold is the number of quads from which a write on bbolt first
// makes sure Cayley's value buckets exist (prepareBuckets): creating them
// takes about a second, and saves more from about this size on.
var bulkThreshold = 50000

// prepareBuckets creates, once per store, the 2×65,536 top-level buckets in
// which Cayley's KV backend keeps values and their reference counts ('n' and
// 'v' followed by the first two bytes of the value's hash), in sorted order
// and in one transaction of its own. Cayley otherwise creates each as its
// first value arrives, and within one large bbolt transaction every new
// bucket is inserted into the middle of the root's in-memory node, which
// bbolt splits only at commit: the write turns quadratic (Cayley's "upfront"
// option creates them at store creation instead, for every store, at about
// a second and 16 MB each). Empty buckets state no fact, so creating them
// outside the write's transaction keeps every load all or nothing. Callers
// hold s.mu for writing.
func (s *Cayley) prepareBuckets() error {
	if s.kvdb == nil || s.bucketsReady {
		return nil
	}
	if err := createValueBuckets(s.kvdb.DB()); err != nil {
		return err
	}
	s.bucketsReady = true
	return nil
}
