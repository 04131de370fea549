//! Helpers shared by the integration tests: the demo-pool model driver, the binary runner, the emulators, the recording
//! proxy, fixture seeding and the tmux driver.

pub mod app;
pub mod cli;
pub mod delay_proxy;
pub mod emulator;
pub mod proxy;
pub mod seed;
pub mod tmux;
