// Integration tests talk to a real stack on a 2-core machine: give them room, never assert on time.
jest.setTimeout(90_000);
