// Placeholder until this view lands.
import {heading} from '../dom.js';

export function render(main) {
  main.append(heading('Logs'));
}
