// The app's name and version, written once: the version is package.json's,
// inlined by the bundler at build time.
import { version } from '../../package.json';

export const APP_NAME = 'wsmon';
export const APP_VERSION: string = version;
