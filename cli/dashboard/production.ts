/**
 * Selects React's production build. React picks its build when first loaded, from NODE_ENV; the
 * development build checks every element and costs several times more per frame, which would show
 * in a simulation's speed. Import this before `ink` or `react`. An explicit NODE_ENV (tests) wins.
 */
process.env.NODE_ENV ??= 'production';
