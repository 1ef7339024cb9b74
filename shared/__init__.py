"""What two or more services need: event contracts, delivery guarantees, stores, telemetry."""
