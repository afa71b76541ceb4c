//! The benchmark's parts that can be checked without building the client
//! (the `bench` feature): the counting allocator and the page server. Their
//! tests live in the modules themselves.

#[allow(dead_code)] // the benchmark binary uses the rest
#[path = "../src/bench/alloc.rs"]
mod alloc;

#[allow(dead_code)]
#[path = "../src/bench/server.rs"]
mod server;
