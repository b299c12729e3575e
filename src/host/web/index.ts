export { startWebHost, type WebHost, type WebHostApp, type WebHostOptions } from './server';
