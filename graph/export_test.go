package graph

// SetBulkThreshold sets the size of write from which bbolt's value buckets
// are created first, for tests; it returns the old value.
func SetBulkThreshold(n int) int {
	old := bulkThreshold
	bulkThreshold = n
	return old
}

// DropDerived drops the store's derived cache, for benchmarks of its build.
func DropDerived(s *CayleyStore) {
	s.mu.Lock()
	s.cat.derived = &derivedCache{}
	s.mu.Unlock()
}
