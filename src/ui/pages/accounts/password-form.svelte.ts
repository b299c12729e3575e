import { callError } from '../../lib/api';
import { FieldErrors } from '../../lib/field-errors';
import { passwordMismatch } from './password-pair';

/**
 * A form that sets a password (adding an account, resetting one): the two boxes, the refusals
 * shown beside them, and the submit that checks the boxes agree before the host is asked.
 */
export class PasswordForm {
  password = $state('');
  again = $state('');
  errors = $state.raw(new FieldErrors());
  busy = $state(false);

  /** Runs `save` with the password once the two boxes agree; a refusal from the host lands in `errors`. */
  async submit(save: (password: string) => Promise<void>): Promise<void> {
    const mismatch = passwordMismatch(this.password, this.again);
    if (mismatch !== null) {
      this.errors = mismatch;
      return;
    }
    this.busy = true;
    try {
      await save(this.password);
    } catch (e) {
      this.errors = new FieldErrors(callError(e));
    } finally {
      this.busy = false;
    }
  }
}
