import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A_A's parameter value sanity check (`SubmissionDetails.__assess_param_value_sanity` in
 * analytics_automated/api.py). A_A applies it to every form field left after submission_name, email, job and
 * input_data are taken out, declared parameter or not, in field order, and stops at the first failure:
 *
 *     pythkw = list(keyword.kwlist); pythkw.remove('in')
 *     invalid = set(string.punctuation+string.whitespace); invalid.remove('.')
 *     for field in request_data:
 *         if any(char in invalid for char in str(request_data[field])):  -> punctuation
 *         for kw in pythkw:  if kw == value                               -> python keyword
 *         for kw in rkwlist: if kw == value                               -> R keyword
 *         for kw in return_local_commands(): if kw == value              -> unix command
 *
 * Only the punctuation test looks inside the value; the other three compare the whole value.
 *
 * Sources: AnalyticsAutomated/analytics_automated (DanBuchan/analytics_automated is not in the source index;
 * this copy shares its history, e.g. commit bf2aa91) analytics_automated/api.py @ 950c0b79 (the check) and
 * analytics_automated/cmdline.py @ 245f3e45; the rejection messages come from the later api.py kept in the fork
 * waleedev01/analytics_automated_v2 analytics_automated/api.py (@ cecdc72f and @ 093e93a4), where each branch
 * returns [False, message] and post() answers 400
 *     {"error": "Required Parameter for <job> Missing." + message + ". GET /analytics_automated/endpoints to discover all required options"}
 */

/** Python 3 `keyword.kwlist` (3.7 and later: 35 words, with async/await) without 'in', as A_A removes it. */
// prettier-ignore
export const PYTHON_KEYWORDS: readonly string[] = Object.freeze([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Python's `string.punctuation + string.whitespace` with '.' removed: the characters no value may contain. */
export const FORBIDDEN_CHARACTERS: ReadonlySet<string> = new Set(
  [...('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~' + ' \t\n\r\x0b\x0c')].filter((c) => c !== '.'),
);

/**
 * A_A's `rkwlist`, copied from AnalyticsAutomated/analytics_automated analytics_automated/r_keywords.py
 * @ 48449bc5 (17,512 characters): R's reserved words and base package function names, 1,184 strings.
 * 'TRUE' and 'FALSE' are commented out there, so they are allowed (the older version @ fd005189 had them).
 *
 * Two commas are missing in the Python source, so Python's implicit string concatenation joins two pairs of
 * names: the list holds 'as.data.frame.integeras.data.frame.list' and 'is.orderedis.package_version', and the
 * four names 'as.data.frame.integer', 'as.data.frame.list', 'is.ordered' and 'is.package_version' are NOT in it.
 * The list below reproduces that, as Python evaluates the file.
 *
 * 124 entries contain a forbidden character ('_', '<-', '[', '$'…), so the punctuation test rejects those
 * values first; the R test decides only for the other 1,060.
 */
// prettier-ignore
export const R_KEYWORDS: readonly string[] = Object.freeze([
  'if', 'else', 'repeat', 'while', 'function', 'for', 'next', 'break', 'NULL', 'Inf', 'NaN', 'NA_integer_',
  'NA_real_', 'NA_complex_', 'NA_character_', '-.Date', '-.POSIXt', '!.hexmode', '!.octmode', '[.AsIs',
  '[.data.frame', '[.Date', '[.difftime', '[.Dlist', '[.factor', '[.hexmode', '[.listof', '[.noquote',
  '[.numeric_version', '[.octmode', '[.POSIXct', '[.POSIXlt', '[.simple.list', '[.table', '[.warnings', '[[',
  '[[.data.frame', '[[.Date', '[[.factor', '[[.numeric_version', '[[.POSIXct', '[[<-', '[[<-.data.frame',
  '[[<-.factor', '[[<-.numeric_version', '[<-', '[<-.data.frame', '[<-.Date', '[<-.factor',
  '[<-.numeric_version', '[<-.POSIXct', '[<-.POSIXlt', '*.difftime', '/.difftime', '&.hexmode', '&.octmode',
  '+.Date', '+.POSIXt', '|.hexmode', '|.octmode', '$.data.frame', '$.DLLInfo', '$.package_version',
  '$<-.data.frame', 'abbreviate', 'abs', 'acos', 'acosh', 'addNA', 'addTaskCallback', 'agrep', 'agrepl',
  'alist', 'all', 'all.equal', 'all.equal.character', 'all.equal.default', 'all.equal.environment',
  'all.equal.envRefClass', 'all.equal.factor', 'all.equal.formula', 'all.equal.language', 'all.equal.list',
  'all.equal.numeric', 'all.equal.POSIXt', 'all.equal.raw', 'all.names', 'all.vars', 'any', 'anyDuplicated',
  'anyDuplicated.array', 'anyDuplicated.data.frame', 'anyDuplicated.default', 'anyDuplicated.matrix', 'anyNA',
  'anyNA.numeric_version', 'anyNA.POSIXlt', 'aperm', 'aperm.default', 'aperm.table', 'append', 'apply', 'Arg',
  'args', 'array', 'arrayInd', 'as.array', 'as.array.default', 'as.call', 'as.character',
  'as.character.condition', 'as.character.Date', 'as.character.default', 'as.character.error',
  'as.character.factor', 'as.character.hexmode', 'as.character.numeric_version', 'as.character.octmode',
  'as.character.POSIXt', 'as.character.srcref', 'as.complex', 'as.data.frame', 'as.data.frame.array',
  'as.data.frame.AsIs', 'as.data.frame.character', 'as.data.frame.complex', 'as.data.frame.data.frame',
  'as.data.frame.Date', 'as.data.frame.default', 'as.data.frame.difftime', 'as.data.frame.factor',
  'as.data.frame.integeras.data.frame.list', 'as.data.frame.logical', 'as.data.frame.matrix',
  'as.data.frame.model.matrix', 'as.data.frame.noquote', 'as.data.frame.numeric',
  'as.data.frame.numeric_version', 'as.data.frame.ordered', 'as.data.frame.POSIXct', 'as.data.frame.POSIXlt',
  'as.data.frame.raw', 'as.data.frame.table', 'as.data.frame.ts', 'as.data.frame.vector', 'as.Date',
  'as.Date.character', 'as.Date.date', 'as.Date.dates', 'as.Date.default', 'as.Date.factor', 'as.Date.numeric',
  'as.Date.POSIXct', 'as.Date.POSIXlt', 'as.difftime', 'as.double', 'as.double.difftime', 'as.double.POSIXlt',
  'as.environment', 'as.expression', 'as.expression.default', 'as.factor', 'as.function',
  'as.function.default', 'as.hexmode', 'as.integer', 'as.list', 'as.list.data.frame', 'as.list.Date',
  'as.list.default', 'as.list.environment', 'as.list.factor', 'as.list.function', 'as.list.numeric_version',
  'as.list.POSIXct', 'as.logical', 'as.logical.factor', 'as.matrix', 'as.matrix.data.frame',
  'as.matrix.default', 'as.matrix.noquote', 'as.matrix.POSIXlt', 'as.name', 'as.null', 'as.null.default',
  'as.numeric', 'as.numeric_version', 'as.octmode', 'as.ordered', 'as.package_version', 'as.pairlist',
  'as.POSIXct', 'as.POSIXct.date', 'as.POSIXct.Date', 'as.POSIXct.dates', 'as.POSIXct.default',
  'as.POSIXct.numeric', 'as.POSIXct.POSIXlt', 'as.POSIXlt', 'as.POSIXlt.character', 'as.POSIXlt.date',
  'as.POSIXlt.Date', 'as.POSIXlt.dates', 'as.POSIXlt.default', 'as.POSIXlt.factor', 'as.POSIXlt.numeric',
  'as.POSIXlt.POSIXct', 'as.qr', 'as.raw', 'as.single', 'as.single.default', 'as.symbol', 'as.table',
  'as.table.default', 'as.vector', 'as.vector.factor', 'asin', 'asinh', 'asNamespace', 'asS3', 'asS4',
  'assign', 'atan', 'atan2', 'atanh', 'attach', 'attachNamespace', 'attr', 'attr.all.equal', 'attr<-',
  'attributes', 'attributes<-', 'autoload', 'autoloader', 'backsolve', 'baseenv', 'basename', 'besselI',
  'besselJ', 'besselK', 'besselY', 'beta', 'bindingIsActive', 'bindingIsLocked', 'bindtextdomain', 'bitwAnd',
  'bitwNot', 'bitwOr', 'bitwShiftL', 'bitwShiftR', 'bitwXor', 'body', 'body<-', 'bquote', 'browser',
  'browserCondition', 'browserSetDebug', 'browserText', 'builtins', 'by', 'by.data.frame', 'by.default',
  'bzfile', 'c', 'c.Date', 'c.difftime', 'c.noquote', 'c.numeric_version', 'c.POSIXct', 'c.POSIXlt',
  'c.warnings', 'call', 'callCC', 'capabilities', 'casefold', 'cat', 'cbind', 'cbind.data.frame', 'ceiling',
  'char.expand', 'character', 'charmatch', 'charToRaw', 'chartr', 'check_tzones', 'chkDots', 'chol',
  'chol.default', 'chol2inv', 'choose', 'class', 'class<-', 'clearPushBack', 'close', 'close.connection',
  'close.srcfile', 'close.srcfilealias', 'closeAllConnections', 'col', 'colMeans', 'colnames', 'colnames<-',
  'colSums', 'commandArgs', 'comment', 'comment<-', 'complex', 'computeRestarts', 'conditionCall',
  'conditionCall.condition', 'conditionMessage', 'conditionMessage.condition', 'conflicts', 'Conj',
  'contributors', 'cos', 'cosh', 'cospi', 'crossprod', 'Cstack_info', 'cummax', 'cummin', 'cumprod', 'cumsum',
  'curlGetHeaders', 'cut', 'cut.Date', 'cut.default', 'cut.POSIXt', 'data.class', 'data.frame', 'data.matrix',
  'date', 'debug', 'debuggingState', 'debugonce', 'default.stringsAsFactors', 'delayedAssign', 'deparse',
  'det', 'detach', 'determinant', 'determinant.matrix', 'dget', 'diag', 'diag<-', 'diff', 'diff.Date',
  'diff.default', 'diff.difftime', 'diff.POSIXt', 'difftime', 'digamma', 'dim', 'dim.data.frame', 'dim<-',
  'dimnames', 'dimnames.data.frame', 'dimnames<-', 'dimnames<-.data.frame', 'dir', 'dir.create', 'dir.exists',
  'dirname', 'do.call', 'dontCheck', 'double', 'dput', 'dQuote', 'drop', 'droplevels', 'droplevels.data.frame',
  'droplevels.factor', 'dump', 'duplicated', 'duplicated.array', 'duplicated.data.frame', 'duplicated.default',
  'duplicated.matrix', 'duplicated.numeric_version', 'duplicated.POSIXlt', 'duplicated.warnings', 'dyn.load',
  'dyn.unload', 'dynGet', 'eapply', 'eigen', 'emptyenv', 'enc2native', 'enc2utf8', 'encodeString', 'Encoding',
  'Encoding<-', 'endsWith', 'enquote', 'env.profile', 'environment', 'environment<-', 'environmentIsLocked',
  'environmentName', 'eval', 'eval.parent', 'evalq', 'exists', 'exp', 'expand.grid', 'expm1', 'expression',
  'extSoftVersion', 'F', 'factor', 'factorial', 'fifo', 'file', 'file.access', 'file.append', 'file.choose',
  'file.copy', 'file.create', 'file.exists', 'file.info', 'file.link', 'file.mode', 'file.mtime', 'file.path',
  'file.remove', 'file.rename', 'file.show', 'file.size', 'file.symlink', 'Filter', 'Find', 'find.package',
  'findInterval', 'findPackageEnv', 'findRestart', 'floor', 'flush', 'flush.connection', 'force',
  'forceAndCall', 'formals', 'formals<-', 'format', 'format.AsIs', 'format.data.frame', 'format.Date',
  'format.default', 'format.difftime', 'format.factor', 'format.hexmode', 'format.info', 'format.libraryIQR',
  'format.numeric_version', 'format.octmode', 'format.packageInfo', 'format.POSIXct', 'format.POSIXlt',
  'format.pval', 'format.summaryDefault', 'formatC', 'formatDL', 'forwardsolve', 'gamma', 'gc', 'gc.time',
  'gcinfo', 'gctorture', 'gctorture2', 'get', 'get0', 'getAllConnections', 'getCallingDLL', 'getCallingDLLe',
  'getConnection', 'getDLLRegisteredRoutines', 'getDLLRegisteredRoutines.character',
  'getDLLRegisteredRoutines.DLLInfo', 'getElement', 'geterrmessage', 'getExportedValue', 'getHook',
  'getLoadedDLLs', 'getNamespace', 'getNamespaceExports', 'getNamespaceImports', 'getNamespaceInfo',
  'getNamespaceName', 'getNamespaceUsers', 'getNamespaceVersion', 'getNativeSymbolInfo', 'getOption',
  'getRversion', 'getSrcLines', 'getTaskCallbackNames', 'gettext', 'gettextf', 'getwd', 'gl', 'globalenv',
  'gregexpr', 'grep', 'grepl', 'grepRaw', 'grouping', 'gsub', 'gzcon', 'gzfile', 'I', 'iconv', 'iconvlist',
  'icuGetCollate', 'icuSetCollate', 'identical', 'identity', 'ifelse', 'Im', 'importIntoEnv', 'inherits',
  'integer', 'interaction', 'interactive', 'intersect', 'intToBits', 'intToUtf8', 'inverse.rle', 'invisible',
  'invokeRestart', 'invokeRestartInteractively', 'is.array', 'is.atomic', 'is.call', 'is.character',
  'is.complex', 'is.data.frame', 'is.double', 'is.element', 'is.environment', 'is.expression', 'is.factor',
  'is.finite', 'is.function', 'is.infinite', 'is.integer', 'is.language', 'is.list', 'is.loaded', 'is.logical',
  'is.matrix', 'is.na', 'is.na.data.frame', 'is.na.numeric_version', 'is.na.POSIXlt', 'is.na<-',
  'is.na<-.default', 'is.na<-.factor', 'is.na<-.numeric_version', 'is.name', 'is.nan', 'is.null', 'is.numeric',
  'is.numeric_version', 'is.numeric.Date', 'is.numeric.difftime', 'is.numeric.POSIXt', 'is.object',
  'is.orderedis.package_version', 'is.pairlist', 'is.primitive', 'is.qr', 'is.R', 'is.raw', 'is.recursive',
  'is.single', 'is.symbol', 'is.table', 'is.unsorted', 'is.vector', 'isatty', 'isBaseNamespace', 'isdebugged',
  'isIncomplete', 'isNamespace', 'isNamespaceLoaded', 'ISOdate', 'ISOdatetime', 'isOpen', 'isRestart', 'isS4',
  'isSeekable', 'isSymmetric', 'isSymmetric.matrix', 'isTRUE', 'jitter', 'julian', 'julian.Date',
  'julian.POSIXt', 'kappa', 'kappa.default', 'kappa.lm', 'kappa.qr', 'kronecker', 'l10n_info', 'La_version',
  'La.svd', 'labels', 'labels.default', 'lapply', 'lazyLoad', 'lazyLoadDBexec', 'lazyLoadDBfetch', 'lbeta',
  'lchoose', 'length', 'length.POSIXlt', 'length<-', 'length<-.factor', 'lengths', 'letters', 'LETTERS',
  'levels', 'levels.default', 'levels<-', 'levels<-.factor', 'lfactorial', 'lgamma', 'libcurlVersion',
  'library', 'library.dynam', 'library.dynam.unload', 'licence', 'license', 'list', 'list.dirs', 'list.files',
  'list2env', 'load', 'loadedNamespaces', 'loadingNamespaceInfo', 'loadNamespace', 'local', 'lockBinding',
  'lockEnvironment', 'log', 'log10', 'log1p', 'log2', 'logb', 'logical', 'lower.tri', 'ls', 'make.names',
  'make.unique', 'makeActiveBinding', 'Map', 'mapply', 'margin.table', 'mat.or.vec', 'match', 'match.arg',
  'match.call', 'match.fun', 'Math.data.frame', 'Math.Date', 'Math.difftime', 'Math.factor', 'Math.POSIXt',
  'matrix', 'max', 'max.col', 'mean', 'mean.Date', 'mean.default', 'mean.difftime', 'mean.POSIXct',
  'mean.POSIXlt', 'mem.limits', 'memCompress', 'memDecompress', 'memory.profile', 'merge', 'merge.data.frame',
  'merge.default', 'message', 'mget', 'min', 'missing', 'Mod', 'mode', 'mode<-', 'month.abb', 'month.name',
  'months', 'months.Date', 'months.POSIXt', 'mostattributes<-', 'names', 'names.POSIXlt', 'names<-',
  'names<-.POSIXlt', 'namespaceExport', 'namespaceImport', 'namespaceImportClasses', 'namespaceImportFrom',
  'namespaceImportMethods', 'nargs', 'nchar', 'ncol', 'NCOL', 'Negate', 'new.env', 'NextMethod', 'ngettext',
  'nlevels', 'noquote', 'norm', 'normalizePath', 'nrow', 'NROW', 'numeric', 'numeric_version', 'nzchar',
  'objects', 'oldClass', 'oldClass<-', 'OlsonNames', 'on.exit', 'open', 'open.connection', 'open.srcfile',
  'open.srcfilealias', 'open.srcfilecopy', 'Ops.data.frame', 'Ops.Date', 'Ops.difftime', 'Ops.factor',
  'Ops.numeric_version', 'Ops.ordered', 'Ops.POSIXt', 'options', 'order', 'ordered', 'outer',
  'package_version', 'packageEvent', 'packageHasNamespace', 'packageStartupMessage', 'packBits', 'pairlist',
  'parent.env', 'parent.env<-', 'parent.frame', 'parse', 'parseNamespaceFile', 'paste', 'paste0',
  'path.expand', 'path.package', 'pcre_config', 'pi', 'pipe', 'pmatch', 'pmax', 'pmax.int', 'pmin', 'pmin.int',
  'polyroot', 'pos.to.env', 'Position', 'pretty', 'pretty.default', 'prettyNum', 'print', 'print.AsIs',
  'print.by', 'print.condition', 'print.connection', 'print.data.frame', 'print.Date', 'print.default',
  'print.difftime', 'print.Dlist', 'print.DLLInfo', 'print.DLLInfoList', 'print.DLLRegisteredRoutines',
  'print.factor', 'print.function', 'print.hexmode', 'print.libraryIQR', 'print.listof',
  'print.NativeRoutineList', 'print.noquote', 'print.numeric_version', 'print.octmode', 'print.packageInfo',
  'print.POSIXct', 'print.POSIXlt', 'print.proc_time', 'print.restart', 'print.rle', 'print.simple.list',
  'print.srcfile', 'print.srcref', 'print.summary.table', 'print.summaryDefault', 'print.table',
  'print.warnings', 'prmatrix', 'proc.time', 'prod', 'prop.table', 'provideDimnames', 'psigamma', 'pushBack',
  'pushBackLength', 'q', 'qr', 'qr.coef', 'qr.default', 'qr.fitted', 'qr.Q', 'qr.qty', 'qr.qy', 'qr.R',
  'qr.resid', 'qr.solve', 'qr.X', 'quarters', 'quarters.Date', 'quarters.POSIXt', 'quit', 'quote',
  'R_system_version', 'R.home', 'R.version', 'R.Version', 'R.version.string', 'range', 'range.default', 'rank',
  'rapply', 'raw', 'rawConnection', 'rawConnectionValue', 'rawShift', 'rawToBits', 'rawToChar', 'rbind',
  'rbind.data.frame', 'rcond', 'Re', 'read.dcf', 'readBin', 'readChar', 'readline', 'readLines', 'readRDS',
  'readRenviron', 'Recall', 'Reduce', 'reg.finalizer', 'regexec', 'regexpr', 'registerS3method',
  'registerS3methods', 'regmatches', 'regmatches<-', 'remove', 'removeTaskCallback', 'rep', 'rep_len',
  'rep.Date', 'rep.factor', 'rep.int', 'rep.numeric_version', 'rep.POSIXct', 'rep.POSIXlt', 'replace',
  'replicate', 'require', 'requireNamespace', 'restartDescription', 'restartFormals', 'retracemem', 'return',
  'returnValue', 'rev', 'rev.default', 'rle', 'rm', 'RNGkind', 'RNGversion', 'round', 'round.Date',
  'round.POSIXt', 'row', 'row.names', 'row.names.data.frame', 'row.names.default', 'row.names<-',
  'row.names<-.data.frame', 'row.names<-.default', 'rowMeans', 'rownames', 'rownames<-', 'rowsum',
  'rowsum.data.frame', 'rowsum.default', 'rowSums', 'sample', 'sample.int', 'sapply', 'save', 'save.image',
  'saveRDS', 'scale', 'scale.default', 'scan', 'search', 'searchpaths', 'seek', 'seek.connection', 'seq',
  'seq_along', 'seq_len', 'seq.Date', 'seq.default', 'seq.int', 'seq.POSIXt', 'sequence', 'serialize',
  'set.seed', 'setdiff', 'setequal', 'setHook', 'setNamespaceInfo', 'setSessionTimeLimit', 'setTimeLimit',
  'setwd', 'showConnections', 'shQuote', 'sign', 'signalCondition', 'signif', 'simpleCondition', 'simpleError',
  'simpleMessage', 'simpleWarning', 'simplify2array', 'sin', 'single', 'sinh', 'sink', 'sink.number', 'sinpi',
  'slice.index', 'socketConnection', 'socketSelect', 'solve', 'solve.default', 'solve.qr', 'sort',
  'sort.default', 'sort.int', 'sort.list', 'sort.POSIXlt', 'source', 'split', 'split.data.frame', 'split.Date',
  'split.default', 'split.POSIXct', 'split<-', 'split<-.data.frame', 'split<-.default', 'sprintf', 'sqrt',
  'sQuote', 'srcfile', 'srcfilealias', 'srcfilecopy', 'srcref', 'standardGeneric', 'startsWith', 'stderr',
  'stdin', 'stdout', 'stop', 'stopifnot', 'storage.mode', 'storage.mode<-', 'strftime', 'strptime', 'strrep',
  'strsplit', 'strtoi', 'strtrim', 'structure', 'strwrap', 'sub', 'subset', 'subset.data.frame',
  'subset.default', 'subset.matrix', 'substitute', 'substr', 'substr<-', 'substring', 'substring<-', 'sum',
  'summary', 'summary.connection', 'summary.data.frame', 'Summary.data.frame', 'summary.Date', 'Summary.Date',
  'summary.default', 'Summary.difftime', 'summary.factor', 'Summary.factor', 'summary.matrix',
  'Summary.numeric_version', 'Summary.ordered', 'summary.POSIXct', 'Summary.POSIXct', 'summary.POSIXlt',
  'Summary.POSIXlt', 'summary.proc_time', 'summary.srcfile', 'summary.srcref', 'summary.table',
  'suppressMessages', 'suppressPackageStartupMessages', 'suppressWarnings', 'svd', 'sweep', 'switch',
  'sys.call', 'sys.calls', 'Sys.chmod', 'Sys.Date', 'sys.frame', 'sys.frames', 'sys.function', 'Sys.getenv',
  'Sys.getlocale', 'Sys.getpid', 'Sys.glob', 'Sys.info', 'sys.load.image', 'Sys.localeconv', 'sys.nframe',
  'sys.on.exit', 'sys.parent', 'sys.parents', 'Sys.readlink', 'sys.save.image', 'Sys.setenv',
  'Sys.setFileTime', 'Sys.setlocale', 'Sys.sleep', 'sys.source', 'sys.status', 'Sys.time', 'Sys.timezone',
  'Sys.umask', 'Sys.unsetenv', 'Sys.which', 'system', 'system.file', 'system.time', 'system2', 't', 'T',
  't.data.frame', 't.default', 'table', 'tabulate', 'tan', 'tanh', 'tanpi', 'tapply', 'taskCallbackManager',
  'tcrossprod', 'tempdir', 'tempfile', 'testPlatformEquivalence', 'textConnection', 'textConnectionValue',
  'tolower', 'topenv', 'toString', 'toString.default', 'toupper', 'trace', 'traceback', 'tracemem',
  'tracingState', 'transform', 'transform.data.frame', 'transform.default', 'trigamma', 'trimws', 'trunc',
  'trunc.Date', 'trunc.POSIXt', 'truncate', 'truncate.connection', 'try', 'tryCatch', 'typeof', 'unclass',
  'undebug', 'union', 'unique', 'unique.array', 'unique.data.frame', 'unique.default', 'unique.matrix',
  'unique.numeric_version', 'unique.POSIXlt', 'unique.warnings', 'units', 'units.difftime', 'units<-',
  'units<-.difftime', 'unix.time', 'unlink', 'unlist', 'unloadNamespace', 'unlockBinding', 'unname',
  'unserialize', 'unsplit', 'untrace', 'untracemem', 'unz', 'upper.tri', 'url', 'UseMethod', 'utf8ToInt',
  'validEnc', 'validUTF8', 'vapply', 'vector', 'Vectorize', 'version', 'warning', 'warnings', 'weekdays',
  'weekdays.Date', 'weekdays.POSIXt', 'which', 'which.max', 'which.min', 'with', 'with.default',
  'withCallingHandlers', 'within', 'within.data.frame', 'within.list', 'withRestarts', 'withVisible', 'write',
  'write.dcf', 'writeBin', 'writeChar', 'writeLines', 'xor', 'xor.hexmode', 'xor.octmode',
  'xpdrows.data.frame', 'xtfrm', 'xtfrm.AsIs', 'xtfrm.Date', 'xtfrm.default', 'xtfrm.difftime', 'xtfrm.factor',
  'xtfrm.numeric_version', 'xtfrm.POSIXct', 'xtfrm.POSIXlt', 'xtfrm.Surv', 'xzfile', 'zapsmall',
]);

const PYTHON_KEYWORD_SET: ReadonlySet<string> = new Set(PYTHON_KEYWORDS);
const R_KEYWORD_SET: ReadonlySet<string> = new Set(R_KEYWORDS);

/** The directories A_A's `cmdline.return_local_commands()` lists, in its order. */
export const COMMAND_DIRECTORIES: readonly string[] = Object.freeze([
  '/bin',
  '/usr/bin',
  '/sbin',
  '/usr/sbin',
  '/usr/local/bin',
  '/usr/local/sbin',
  '/opt',
]);

const commandCache = new Map<string, ReadonlySet<string>>();

/**
 * The unix command names of this host as A_A's `return_local_commands()` finds them: the names of the entries
 * of each existing directory that are regular files, following symbolic links (Python's `os.path.isfile`), not
 * descending into subdirectories (so only files directly in /opt). Reads the filesystem once per list of
 * directories; later calls return the cached set.
 *
 * Difference: A_A crashes (`raise str(e)`, a TypeError, so HTTP 500) when a directory exists but cannot be
 * listed; this skips it. An entry whose stat fails (a broken link) is not a regular file, as in Python.
 */
export function serverCommands(dirs: readonly string[] = COMMAND_DIRECTORIES): ReadonlySet<string> {
  const key = JSON.stringify(dirs);
  const cached = commandCache.get(key);
  if (cached) return cached;
  const names = new Set<string>();
  for (const dir of dirs) {
    let entries: string[];
    try {
      if (!statSync(dir).isDirectory()) continue;
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      try {
        if (statSync(join(dir, name)).isFile()) names.add(name);
      } catch {
        // a broken symbolic link or an entry gone meanwhile: not a regular file
      }
    }
  }
  commandCache.set(key, names);
  return names;
}

/** Forgets the cached command lists (for tests, or after installing software). */
export function clearServerCommandsCache(): void {
  commandCache.clear();
}

export type SanityFailureReason = 'punctuation' | 'python' | 'r' | 'command';
export type ValueCheck = { ok: true } | { ok: false; reason: SanityFailureReason; message: string };

/**
 * A_A's messages, verbatim (including its "keyords" typo). In A_A the punctuation branch reads
 * `"Incoming data can not contain punctuation: "+kw` (api.py @ cecdc72f) before `kw` is assigned: on the first
 * field checked that raises UnboundLocalError (HTTP 500), on a later one it names whatever `kw` last held. The
 * variant @ 093e93a4 has no `+kw`; that is the wording used here, and callers answer 400.
 */
export const SANITY_MESSAGES = Object.freeze({
  punctuation: 'Incoming data can not contain punctuation: ',
  python: 'Incoming data can not contain python keyords: ',
  r: 'Incoming data can not contain R keywords: ',
  command: 'Incoming data can not contain unix commands: ',
});

/** A_A's message when a parameter alias is absent from the form (`__assess_param_membership`). */
export const MISSING_PARAMETER_MESSAGE = 'You are missing a required parameter in your web form submission';

/** The 400 error text A_A's post() builds from a membership or sanity message, for the job that failed. */
export function parameterErrorMessage(job: string, detail: string): string {
  return `Required Parameter for ${job} Missing.${detail}. GET /analytics_automated/endpoints to discover all required options`;
}

/**
 * One value through A_A's four tests, in A_A's order. `commands` is the host's command names, normally
 * `serverCommands()`. The value is compared as it arrives (A_A compares `str(value)` of the form string).
 */
export function checkParameterValue(value: string, commands: ReadonlySet<string>): ValueCheck {
  for (const c of value) {
    if (FORBIDDEN_CHARACTERS.has(c)) return { ok: false, reason: 'punctuation', message: SANITY_MESSAGES.punctuation };
  }
  if (PYTHON_KEYWORD_SET.has(value)) return { ok: false, reason: 'python', message: SANITY_MESSAGES.python + value };
  if (R_KEYWORD_SET.has(value)) return { ok: false, reason: 'r', message: SANITY_MESSAGES.r + value };
  if (commands.has(value)) return { ok: false, reason: 'command', message: SANITY_MESSAGES.command + value };
  return { ok: true };
}

/**
 * Every field through `checkParameterValue`, in order, stopping at the first failure (A_A's loop). Pass the
 * form fields other than submission_name, email, job and input_data (see `SUBMISSION_FIELDS`), as entries in
 * form order (a plain object puts integer-like keys first, unlike Python's dict).
 */
export function checkParameterValues(
  fields: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  commands: ReadonlySet<string>,
): { ok: true } | { ok: false; field: string; reason: SanityFailureReason; message: string } {
  const entries = isIterable(fields) ? fields : Object.entries(fields);
  for (const [field, value] of entries) {
    const check = checkParameterValue(value, commands);
    if (!check.ok) return { ...check, field };
  }
  return { ok: true };
}

/** The form fields A_A takes out before the parameter checks. */
export const SUBMISSION_FIELDS: readonly string[] = Object.freeze(['submission_name', 'email', 'job', 'input_data']);

function isIterable(x: unknown): x is Iterable<readonly [string, string]> {
  return (
    typeof x === 'object' && x !== null && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}
