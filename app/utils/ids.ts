import { v7 as uuidv7 } from "uuid";

/** Text ids made in the app: time-ordered, not guessable, identical on both databases. */
export function newId(): string {
  return uuidv7();
}
