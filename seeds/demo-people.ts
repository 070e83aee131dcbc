// The demo clinic's people live beside sign-in, whose page lists them when DEMO=1; seeds and
// tests keep importing them from here.
export { DEMO_PASSWORD, DEMO_SITE, DEMO_USERS } from "../app/features/auth/demo-people";
