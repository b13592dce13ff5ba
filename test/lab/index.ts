// The lab lives in src/lab so that `wsmon demo` can ship it; tests import it from here.
export { Lab, startLab, behaviorFromQuery, type Behavior } from '../../src/lab/server';
