/** The signed-in person a write is done by, as the audit log names them. */
export interface Actor {
  id: string;
  name: string;
}
