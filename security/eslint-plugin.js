// Local ESLint rules for what generic rules cannot say: which of our folders a file may import,
// that a module is entered through its index.ts, and that every window spells out its hardening.
// eslint.config.js applies them to the source; security/scan.ts applies the window rule to the built
// JavaScript in out/ as well, so a reader, the linter and the scanner all see the same literal.

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Every way a file can name another module: static, re-export, dynamic import and require. */
function moduleSources(context, check) {
  const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node : null);
  const report = (node) => {
    const source = literal(node);
    if (source) check(source.value, source);
  };
  return {
    ImportDeclaration: (node) => report(node.source),
    ExportNamedDeclaration: (node) => report(node.source),
    ExportAllDeclaration: (node) => report(node.source),
    ImportExpression: (node) => report(node.source),
    TSImportEqualsDeclaration: (node) => report(node.moduleReference?.expression),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') report(node.arguments[0]);
    },
  };
}

/** Project-relative path with forward slashes, or null when the file lies outside the project. */
function projectPath(root, file) {
  const path = relative(root, file);
  if (path === '' || path.split(sep)[0] === '..' || isAbsolute(path)) return null;
  return path.split(sep).join('/');
}

function isUnder(path, folder) {
  return path === folder || path.startsWith(`${folder}/`);
}

/** The file a relative specifier names, or null for a package or built-in module. */
function importedFile(importer, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..')
    return null;
  return resolve(dirname(importer), specifier);
}

/** A package name or one of its subpaths: `electron` also covers `electron/main`. */
function matchesModule(specifier, names) {
  return names.find((name) => specifier === name || specifier.startsWith(`${name}/`)) ?? null;
}

function importerPath(context) {
  return resolve(context.cwd ?? process.cwd(), context.physicalFilename ?? context.filename);
}

const layering = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Restrict which of our folders and which Node/Electron/network modules a layer imports',
    },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layer: { type: 'string' },
          allowFolders: { type: 'array', items: { type: 'string' } },
          forbidFolders: { type: 'array', items: { type: 'string' } },
          forbidModules: { type: 'array', items: { type: 'string' } },
          forbidNodeScheme: { type: 'boolean' },
          because: { type: 'string' },
        },
        required: ['root', 'layer', 'because'],
        additionalProperties: false,
      },
    ],
    messages: {
      folder: '{{layer}} must not import {{target}}: {{because}}',
      module: '{{layer}} must not import "{{module}}": {{because}}',
    },
  },
  create(context) {
    const options = context.options[0];
    const importer = importerPath(context);
    return moduleSources(context, (specifier, node) => {
      const data = { layer: options.layer, because: options.because };
      if (options.forbidNodeScheme && specifier.startsWith('node:')) {
        context.report({ node, messageId: 'module', data: { ...data, module: specifier } });
        return;
      }
      const banned = matchesModule(specifier, options.forbidModules ?? []);
      if (banned) {
        context.report({ node, messageId: 'module', data: { ...data, module: specifier } });
        return;
      }
      const file = importedFile(importer, specifier);
      const target = file && projectPath(options.root, file);
      if (!target || target.split('/').includes('node_modules')) return;
      const allowed = options.allowFolders
        ? options.allowFolders.some((folder) => isUnder(target, folder))
        : true;
      const forbidden = (options.forbidFolders ?? []).some((folder) => isUnder(target, folder));
      if (!allowed || forbidden) context.report({ node, messageId: 'folder', data: { ...data, target } });
    });
  },
};

const ENTRY_FILES = ['index.ts', 'index.tsx', 'testing.ts'];

const importThroughIndex = {
  meta: {
    type: 'problem',
    docs: { description: 'A folder with an index.ts is a module: from outside, import its index.ts' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          // Folders that group modules rather than being one (src/main has an index.ts: the app entry).
          containers: { type: 'array', items: { type: 'string' } },
        },
        required: ['root', 'containers'],
        additionalProperties: false,
      },
    ],
    messages: {
      entry:
        'import {{module}}/index.ts, not {{target}}: a module is entered through its index.ts (testing.ts for test helpers)',
    },
  },
  create(context) {
    const { root, containers } = context.options[0];
    const importer = importerPath(context);
    const isModule = (folder) =>
      !containers.includes(folder) && ENTRY_FILES.some((name) => existsSync(join(root, folder, name)));
    return moduleSources(context, (specifier, node) => {
      const file = importedFile(importer, specifier);
      const target = file && projectPath(root, file);
      const from = projectPath(root, importer);
      if (!target || !from || target.split('/').includes('node_modules')) return;
      // Walk down from the deepest folder both files share: every module folder entered on the way
      // must be entered at one of its entry files.
      const fromFolders = from.split('/').slice(0, -1);
      const targetParts = target.split('/');
      let shared = 0;
      while (
        shared < fromFolders.length &&
        shared < targetParts.length - 1 &&
        fromFolders[shared] === targetParts[shared]
      )
        shared += 1;
      for (let depth = shared + 1; depth < targetParts.length; depth += 1) {
        const folder = targetParts.slice(0, depth).join('/');
        if (!isModule(folder)) continue;
        const isEntry = depth === targetParts.length - 1 && ENTRY_FILES.includes(targetParts[depth]);
        if (!isEntry) context.report({ node, messageId: 'entry', data: { module: folder, target } });
        return;
      }
    });
  },
};

/** What every window's webPreferences must say, literally. */
export const REQUIRED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
};

/** Settings that may not be turned on at all. */
const FORBIDDEN_WEB_PREFERENCES = {
  nodeIntegrationInWorker: true,
  nodeIntegrationInSubFrames: true,
  allowRunningInsecureContent: true,
  experimentalFeatures: true,
  webviewTag: true,
};

const WINDOW_CLASSES = ['BrowserWindow', 'BrowserView', 'WebContentsView'];

function propertyName(property) {
  if (property.type !== 'Property' || property.computed) return null;
  if (property.key.type === 'Identifier') return property.key.name;
  if (property.key.type === 'Literal') return String(property.key.value);
  return null;
}

function findProperty(object, name) {
  return object.properties.find((property) => propertyName(property) === name) ?? null;
}

const hardenedWebPreferences = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Every window states contextIsolation, sandbox, nodeIntegration and webSecurity literally',
    },
    schema: [],
    messages: {
      optionsLiteral:
        'new {{cls}}(…) must receive an object literal with a literal webPreferences: a shared options object hides the hardening from readers and the scanner',
      webPreferencesLiteral: 'new {{cls}}(…): webPreferences must be an object literal written at the call',
      spread: 'new {{cls}}(…): no spread in webPreferences: it could override the hardening',
      required: 'new {{cls}}(…): webPreferences must say `{{name}}: {{value}}` literally',
      forbidden: 'new {{cls}}(…): webPreferences must not turn on {{name}}',
      blinkFeatures: 'new {{cls}}(…): webPreferences must not enable Blink features',
    },
  },
  create(context) {
    return {
      NewExpression(node) {
        const callee = node.callee;
        const cls =
          callee.type === 'Identifier'
            ? callee.name
            : callee.type === 'MemberExpression' && callee.property.type === 'Identifier'
              ? callee.property.name
              : null;
        if (!cls || !WINDOW_CLASSES.includes(cls)) return;
        const options = node.arguments[0];
        if (!options || options.type !== 'ObjectExpression') {
          context.report({ node, messageId: 'optionsLiteral', data: { cls } });
          return;
        }
        const preferences = findProperty(options, 'webPreferences');
        if (!preferences || preferences.value.type !== 'ObjectExpression') {
          context.report({ node: preferences ?? node, messageId: 'webPreferencesLiteral', data: { cls } });
          return;
        }
        const object = preferences.value;
        for (const property of object.properties) {
          if (property.type !== 'Property')
            context.report({ node: property, messageId: 'spread', data: { cls } });
        }
        for (const [name, value] of Object.entries(REQUIRED_WEB_PREFERENCES)) {
          const property = findProperty(object, name);
          if (!property || !isLiteralBoolean(property.value, value))
            context.report({
              node: property ?? object,
              messageId: 'required',
              data: { cls, name, value: String(value) },
            });
        }
        for (const name of Object.keys(FORBIDDEN_WEB_PREFERENCES)) {
          const property = findProperty(object, name);
          if (property && !isLiteralBoolean(property.value, false))
            context.report({ node: property, messageId: 'forbidden', data: { cls, name } });
        }
        const blink = findProperty(object, 'enableBlinkFeatures');
        if (blink) context.report({ node: blink, messageId: 'blinkFeatures', data: { cls } });
      },
    };
  },
};

/** `true`/`false` as written, or as a minifier writes them (`!0`, `!1`). */
function isLiteralBoolean(node, value) {
  if (node.type === 'Literal') return node.value === value;
  if (node.type === 'UnaryExpression' && node.operator === '!' && node.argument.type === 'Literal')
    return !node.argument.value === value;
  return false;
}

export default {
  meta: { name: 'mbw' },
  rules: {
    layering,
    'import-through-index': importThroughIndex,
    'hardened-web-preferences': hardenedWebPreferences,
  },
};
