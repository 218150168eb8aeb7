package graph

// SetBulkThreshold sets the size of write from which bbolt's value buckets
// are created first, for tests; it returns the old value.
func SetBulkThreshold(n int) int {
	old := bulkThreshold
	bulkThreshold = n
	return old
}
