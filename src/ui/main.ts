import { mount } from 'svelte';
import { z } from 'zod';
import App from './App.svelte';
import './styles/theme.css';
import './styles/base.css';
import './styles/table.css';
import './styles/form.css';

// The strict CSP forbids eval; without this zod probes for it and logs a CSP violation.
z.config({ jitless: true });

mount(App, { target: document.getElementById('app') as HTMLElement });
