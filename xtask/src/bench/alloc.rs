//! A counting allocator: [`System`] plus the bytes currently allocated and
//! their peak, kept in atomics. The benchmark binary installs one as its
//! `#[global_allocator]`; nothing else does.
//!
//! Threads that call [`exclude_this_thread`] (the in-process test server) are
//! not counted, so the peak is the client's alone.

#![allow(unsafe_code)] // `GlobalAlloc` is an unsafe trait; this only forwards to `System`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

thread_local! {
    // Const-initialised and without a destructor: reading it never allocates.
    static EXCLUDED: Cell<bool> = const { Cell::new(false) };
}

/// Stops counting the allocations of the calling thread.
pub fn exclude_this_thread() {
    EXCLUDED.with(|excluded| excluded.set(true));
}

fn counted() -> bool {
    !EXCLUDED.with(Cell::get)
}

/// [`System`] with a count of live bytes and their peak.
pub struct CountingAlloc {
    // Signed: a block allocated on an excluded thread and freed on a counted
    // one lowers the count instead of wrapping it around.
    current: AtomicIsize,
    peak: AtomicIsize,
}

impl CountingAlloc {
    pub const fn new() -> Self {
        CountingAlloc {
            current: AtomicIsize::new(0),
            peak: AtomicIsize::new(0),
        }
    }

    /// Bytes allocated and not yet freed.
    pub fn current(&self) -> isize {
        self.current.load(Relaxed)
    }

    /// The most bytes live at once since the last [`reset_peak`](Self::reset_peak).
    pub fn peak(&self) -> isize {
        self.peak.load(Relaxed)
    }

    /// Starts a new peak from the current count.
    pub fn reset_peak(&self) {
        self.peak.store(self.current.load(Relaxed), Relaxed);
    }

    fn grow(&self, bytes: usize) {
        if counted() {
            let now = self.current.fetch_add(bytes as isize, Relaxed) + bytes as isize;
            self.peak.fetch_max(now, Relaxed);
        }
    }

    fn shrink(&self, bytes: usize) {
        if counted() {
            self.current.fetch_sub(bytes as isize, Relaxed);
        }
    }
}

impl Default for CountingAlloc {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: every call is forwarded to `System` with the caller's arguments;
// the counters never touch the memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            self.grow(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            self.grow(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(block, layout) };
        self.shrink(layout.size());
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            // Counted as a change of size (as if in place), like other heap profilers.
            if new_size >= layout.size() {
                self.grow(new_size - layout.size());
            } else {
                self.shrink(layout.size() - new_size);
            }
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_is_the_most_bytes_live_at_once() {
        let counter = CountingAlloc::new();
        let a = Layout::from_size_align(1000, 8).unwrap();
        let b = Layout::from_size_align(300, 16).unwrap();
        // SAFETY: each block is freed once, with the layout it was allocated with.
        unsafe {
            let x = counter.alloc(a);
            let y = counter.alloc_zeroed(b);
            assert!(!x.is_null() && !y.is_null());
            assert_eq!((counter.current(), counter.peak()), (1300, 1300));
            counter.dealloc(x, a);
            assert_eq!((counter.current(), counter.peak()), (300, 1300));

            counter.reset_peak();
            assert_eq!(counter.peak(), 300);
            let y = counter.realloc(y, b, 5000);
            assert!(!y.is_null());
            assert_eq!((counter.current(), counter.peak()), (5000, 5000));
            let y = counter.realloc(y, Layout::from_size_align(5000, 16).unwrap(), 10);
            assert_eq!((counter.current(), counter.peak()), (10, 5000));
            counter.dealloc(y, Layout::from_size_align(10, 16).unwrap());
            assert_eq!((counter.current(), counter.peak()), (0, 5000));
        }
    }

    #[test]
    fn an_excluded_thread_is_not_counted() {
        let counter = std::sync::Arc::new(CountingAlloc::new());
        let layout = Layout::from_size_align(4096, 8).unwrap();
        let other = counter.clone();
        std::thread::spawn(move || {
            exclude_this_thread();
            // SAFETY: allocated and freed with the same layout.
            unsafe { other.dealloc(other.alloc(layout), layout) };
        })
        .join()
        .unwrap();
        assert_eq!((counter.current(), counter.peak()), (0, 0));
        // SAFETY: allocated and freed with the same layout.
        unsafe { counter.dealloc(counter.alloc(layout), layout) };
        assert_eq!((counter.current(), counter.peak()), (0, 4096));
    }
}
