/**
 * THE map between Power Automate for desktop's actions (as Robin writes
 * them: `Module.Action[.Variant]`, argument names, `Output=> Var` names) and
 * Patchbay's actions. Import, export, the designer's paste and
 * docs/robin.md (rendered by `robinMappingMarkdown`) all read this one
 * table. To map another action, add a row: nothing else changes.
 */
import { extraActionRows } from './table-extras.js';

export interface RobinArg {
  /** The Patchbay parameter the argument sets. */
  param: string;
  /** PAD writes a variable here (a list or object changed in place): the parameter holds its name. */
  variable?: true;
  /** PAD's enumeration values (`File.TextFileEncoding.UTF8`) and the Patchbay values they mean. */
  values?: Record<string, string | number | boolean>;
}

export interface RobinActionMapping {
  /** PAD's action as Robin writes it: `Module.Action` or `Module.Action.Variant`. */
  pad: string;
  /** The Patchbay action id. */
  action: string;
  /** PAD argument → Patchbay parameter (a string is the parameter's name). */
  args: Record<string, string | RobinArg>;
  /** PAD output (`Name=> Var`) → the key of the variable the Patchbay action produces. */
  outputs?: Record<string, string>;
  /** Patchbay parameters the PAD action (or its variant) stands for. */
  implies?: Record<string, string | number | boolean>;
  /** Arguments PAD writes that Patchbay has no parameter for: read only with this Robin value, written back with it. */
  fixed?: Record<string, string>;
  /** Arguments PAD writes that do not change what Patchbay does: read with any value, written back with this one. */
  ignored?: Record<string, string>;
  /** Variables the Patchbay action produces that PAD's does not: turned off on import, so none appears that PAD lacks. */
  off?: string[];
}

export interface RobinConditionMapping {
  /** PAD's conditional action, used as `IF (File.IfFile.Exists File: P) THEN`. */
  pad: string;
  /** The Patchbay action that answers the question, and the key of its boolean output. */
  action: string;
  output: string;
  args: Record<string, string>;
  /** True when the condition is the negation of the output ("does not exist"). */
  negate: boolean;
}

const ENCODING = {
  'File.TextFileEncoding.UTF8': 'utf-8',
  'File.TextFileEncoding.UTF8NoBOM': 'utf-8',
  'File.TextFileEncoding.Unicode': 'utf-16le',
  'File.TextFileEncoding.UnicodeBigEndian': 'utf-16be',
  'File.TextFileEncoding.ASCII': 'ascii',
};
const FILE_ENCODING = {
  'File.FileEncoding.UTF8': 'utf-8',
  'File.FileEncoding.Unicode': 'utf-16le',
  'File.FileEncoding.UnicodeBigEndian': 'utf-16be',
  'File.FileEncoding.ASCII': 'ascii',
};
const CSV_ENCODING = {
  'File.CSVEncoding.UTF8': 'utf-8',
  'File.CSVEncoding.Unicode': 'utf-16le',
  'File.CSVEncoding.UnicodeBigEndian': 'utf-16be',
  'File.CSVEncoding.ASCII': 'ascii',
};
/** PAD's default, SystemDefault (Windows' list separator), is read as a comma, as on English Windows; Comma is written. */
const CSV_SEPARATOR = {
  'File.CSVColumnsSeparator.Comma': 'comma',
  'File.CSVColumnsSeparator.SystemDefault': 'comma',
  'File.CSVColumnsSeparator.Semicolon': 'semicolon',
  'File.CSVColumnsSeparator.Tab': 'tab',
};
const IF_EXISTS = { 'File.IfExists.Overwrite': 'overwrite', 'File.IfExists.DoNothing': 'doNothing' };
const SORT_BY = {
  'Folder.SortBy.NoSort': 'none',
  'Folder.SortBy.FullName': 'fullName',
  'Folder.SortBy.Name': 'name',
  'Folder.SortBy.Extension': 'extension',
  'Folder.SortBy.Size': 'size',
  'Folder.SortBy.LastModified': 'lastModified',
};
const FOLDER_LISTING_FIXED = {
  FailOnAccessDenied: 'True',
  SortBy2: 'Folder.SortBy.NoSort',
  SortDescending2: 'False',
  SortBy3: 'Folder.SortBy.NoSort',
  SortDescending3: 'False',
};
const METHOD = {
  'Web.Method.Get': 'GET',
  'Web.Method.Post': 'POST',
  'Web.Method.Put': 'PUT',
  'Web.Method.Patch': 'PATCH',
  'Web.Method.Delete': 'DELETE',
  'Web.Method.Head': 'HEAD',
  'Web.Method.Options': 'OPTIONS',
};
const DELIMITER = {
  'Text.StandardDelimiter.Space': 'space',
  'Text.StandardDelimiter.Tab': 'tab',
  'Text.StandardDelimiter.NewLine': 'newline',
};
const TIME_UNIT = {
  'DateTime.TimeUnit.Seconds': 'seconds',
  'DateTime.TimeUnit.Minutes': 'minutes',
  'DateTime.TimeUnit.Hours': 'hours',
  'DateTime.TimeUnit.Days': 'days',
  'DateTime.TimeUnit.Months': 'months',
  'DateTime.TimeUnit.Years': 'years',
};
const DIFFERENCE_UNIT = {
  'DateTime.DifferenceTimeUnit.Seconds': 'seconds',
  'DateTime.DifferenceTimeUnit.Minutes': 'minutes',
  'DateTime.DifferenceTimeUnit.Hours': 'hours',
  'DateTime.DifferenceTimeUnit.Days': 'days',
};
const DATE_FORMAT = {
  'Text.WellKnownDateTimeFormat.ShortDate': 'shortDate',
  'Text.WellKnownDateTimeFormat.LongDate': 'longDate',
  'Text.WellKnownDateTimeFormat.ShortTime': 'shortTime',
  'Text.WellKnownDateTimeFormat.LongTime': 'longTime',
  'Text.WellKnownDateTimeFormat.FullDateTimeShortTime': 'fullDateTimeShortTime',
  'Text.WellKnownDateTimeFormat.FullDateTimeLongTime': 'fullDateTimeLongTime',
  'Text.WellKnownDateTimeFormat.GeneralDateTimeShortTime': 'generalDateTimeShortTime',
  'Text.WellKnownDateTimeFormat.GeneralDateTimeLongTime': 'generalDateTimeLongTime',
  'Text.WellKnownDateTimeFormat.SortableDateTime': 'sortableDateTime',
};

export const robinActionTable: readonly RobinActionMapping[] = [
  // Variables
  {
    pad: 'Variables.IncreaseVariable',
    action: 'Variables.Increase',
    args: { Value: { param: 'name', variable: true }, IncrementValue: 'by' },
  },
  {
    pad: 'Variables.DecreaseVariable',
    action: 'Variables.Decrease',
    args: { Value: { param: 'name', variable: true }, DecrementValue: 'by' },
  },
  {
    pad: 'Variables.TruncateNumber.GetIntegerPart',
    action: 'Variables.TruncateNumber',
    args: { Number: 'number' },
    outputs: { Result: 'result' },
    implies: { operation: 'integerPart' },
  },
  {
    pad: 'Variables.TruncateNumber.GetDecimalPart',
    action: 'Variables.TruncateNumber',
    args: { Number: 'number' },
    outputs: { Result: 'result' },
    implies: { operation: 'decimalPart' },
  },
  {
    pad: 'Variables.TruncateNumber.RoundNumber',
    action: 'Variables.TruncateNumber',
    args: { Number: 'number', DecimalPlaces: 'decimals' },
    outputs: { Result: 'result' },
    implies: { operation: 'round' },
  },
  {
    pad: 'Variables.GenerateRandomNumber.RandomNumber',
    action: 'Variables.GenerateRandomNumber',
    args: { MinimumValue: 'minimum', MaximumValue: 'maximum' },
    outputs: { RandomNumber: 'result' },
  },
  { pad: 'Variables.CreateNewList', action: 'Variables.CreateNewList', args: {}, outputs: { List: 'list' } },
  {
    pad: 'Variables.AddItemToList',
    action: 'Variables.AddItemToList',
    args: { Item: 'item', List: { param: 'list', variable: true } },
  },
  {
    pad: 'Variables.RemoveItemFromList.ByIndex',
    action: 'Variables.RemoveItemFromList',
    args: { ItemIndex: 'index', List: { param: 'list', variable: true } },
    implies: { removeBy: 'index' },
  },
  {
    pad: 'Variables.RemoveItemFromList.ByValue',
    action: 'Variables.RemoveItemFromList',
    args: { Item: 'value', AllMatches: 'allOccurrences', List: { param: 'list', variable: true } },
    implies: { removeBy: 'value' },
  },
  {
    pad: 'Variables.SortList.SortList',
    action: 'Variables.SortList',
    args: { List: { param: 'list', variable: true } },
    implies: { by: 'value' },
  },
  { pad: 'Variables.ReverseList', action: 'Variables.ReverseList', args: { List: { param: 'list', variable: true } } },
  {
    pad: 'Variables.RemoveDuplicateItemsFromList',
    action: 'Variables.RemoveDuplicateItemsFromList',
    args: { List: { param: 'list', variable: true }, IgnoreCase: 'ignoreCase' },
  },
  {
    pad: 'Variables.MergeLists',
    action: 'Variables.MergeLists',
    args: { FirstList: 'first', SecondList: 'second' },
    outputs: { OutputList: 'list' },
  },
  { pad: 'Variables.ClearList', action: 'Variables.ClearList', args: { List: { param: 'list', variable: true } } },
  {
    pad: 'Variables.ConvertJsonToCustomObject',
    action: 'Data.ConvertJsonToCustomObject',
    args: { Json: 'json' },
    outputs: { CustomObject: 'object' },
  },
  {
    pad: 'Variables.ConvertCustomObjectToJson',
    action: 'Data.ConvertCustomObjectToJson',
    args: { CustomObject: 'object' },
    outputs: { Json: 'json' },
  },
  // Text
  {
    pad: 'Text.AppendLine',
    action: 'Text.AppendLine',
    args: { Text: 'text', LineToAppend: 'line' },
    outputs: { Result: 'result' },
  },
  {
    pad: 'Text.SplitText.Split',
    action: 'Text.Split',
    args: {
      Text: 'text',
      StandardDelimiter: { param: 'standardDelimiter', values: DELIMITER },
      DelimiterTimes: 'times',
    },
    outputs: { Result: 'list' },
    implies: { separatorType: 'standard' },
  },
  {
    pad: 'Text.SplitText.SplitWithDelimiter',
    action: 'Text.Split',
    args: { Text: 'text', CustomDelimiter: 'customDelimiter', IsRegEx: 'isRegex' },
    outputs: { Result: 'list' },
    implies: { separatorType: 'custom' },
  },
  {
    pad: 'Text.JoinText.JoinWithDelimiter',
    action: 'Text.Join',
    args: {
      Text: 'list',
      StandardDelimiter: { param: 'standardDelimiter', values: DELIMITER },
      DelimiterTimes: 'times',
    },
    outputs: { Result: 'text' },
    implies: { separatorType: 'standard' },
  },
  {
    pad: 'Text.JoinText.JoinWithCustomDelimiter',
    action: 'Text.Join',
    args: { Text: 'list', CustomDelimiter: 'customDelimiter' },
    outputs: { Result: 'text' },
    implies: { separatorType: 'custom' },
  },
  {
    pad: 'Text.Replace',
    action: 'Text.Replace',
    args: {
      Text: 'text',
      TextToFind: 'find',
      IsRegEx: 'isRegex',
      IgnoreCase: 'ignoreCase',
      ReplaceWith: 'replaceWith',
      ActivateEscapeSequences: 'escapeSequences',
    },
    outputs: { Result: 'text' },
  },
  {
    pad: 'Text.Trim',
    action: 'Text.Trim',
    args: {
      Text: 'text',
      TrimOption: {
        param: 'what',
        values: { 'Text.TrimOption.Beginning': 'start', 'Text.TrimOption.End': 'end', 'Text.TrimOption.Both': 'both' },
      },
    },
    outputs: { TrimmedText: 'text' },
  },
  {
    pad: 'Text.ChangeCase',
    action: 'Text.ChangeCase',
    args: {
      Text: 'text',
      NewCase: {
        param: 'case',
        values: {
          'Text.CaseOption.UpperCase': 'upper',
          'Text.CaseOption.LowerCase': 'lower',
          'Text.CaseOption.TitleCase': 'title',
          'Text.CaseOption.SentenceCase': 'sentence',
        },
      },
    },
    outputs: { Result: 'text' },
  },
  {
    pad: 'Text.Pad.PadLeft',
    action: 'Text.Pad',
    args: { Text: 'text', PadText: 'padText', TotalLength: 'totalLength' },
    outputs: { PaddedText: 'text' },
    implies: { side: 'left' },
  },
  {
    pad: 'Text.Pad.PadRight',
    action: 'Text.Pad',
    args: { Text: 'text', PadText: 'padText', TotalLength: 'totalLength' },
    outputs: { PaddedText: 'text' },
    implies: { side: 'right' },
  },
  {
    pad: 'Text.GetSubtext.GetSubtextFrom',
    action: 'Text.GetSubtext',
    args: { Text: 'text', CharacterPosition: 'startIndex', NumberOfChars: 'length' },
    outputs: { Subtext: 'text' },
    implies: { lengthMode: 'count' },
  },
  {
    pad: 'Text.GetSubtext.GetSubtextFromToEnd',
    action: 'Text.GetSubtext',
    args: { Text: 'text', CharacterPosition: 'startIndex' },
    outputs: { Subtext: 'text' },
    implies: { lengthMode: 'end' },
  },
  {
    pad: 'Text.ParseText.ParseForFirstOccurrence',
    action: 'Text.ParseText',
    args: { Text: 'text', TextToFind: 'find', StartingPosition: 'startPosition', IgnoreCase: 'ignoreCase' },
    outputs: { OccurrencePosition: 'position', Match: 'match' },
    implies: { isRegex: false, firstOccurrenceOnly: true },
  },
  {
    pad: 'Text.ParseText.RegexParseForFirstOccurrence',
    action: 'Text.ParseText',
    args: { Text: 'text', TextToFind: 'find', StartingPosition: 'startPosition', IgnoreCase: 'ignoreCase' },
    outputs: { OccurrencePosition: 'position', Match: 'match' },
    implies: { isRegex: true, firstOccurrenceOnly: true },
  },
  {
    pad: 'Text.EscapeTextForRegularExpression',
    action: 'Text.EscapeTextForRegex',
    args: { Text: 'text' },
    outputs: { EscapedText: 'text' },
  },
  { pad: 'Text.ToNumber', action: 'Text.ConvertTextToNumber', args: { Text: 'text' }, outputs: { Number: 'number' } },
  {
    pad: 'Text.FromNumber',
    action: 'Text.ConvertNumberToText',
    args: { Number: 'number', DecimalPlaces: 'decimalPlaces', UseThousandsSeparator: 'thousandsSeparator' },
    outputs: { FormattedNumber: 'text' },
  },
  {
    pad: 'Text.ConvertTextToDateTime.ToDateTime',
    action: 'Text.ConvertTextToDateTime',
    args: { Text: 'text' },
    outputs: { DateTime: 'dateTime' },
    implies: { customFormat: false },
  },
  {
    pad: 'Text.ConvertTextToDateTime.ToDateTimeCustomFormat',
    action: 'Text.ConvertTextToDateTime',
    args: { Text: 'text', CustomFormat: 'format' },
    outputs: { DateTime: 'dateTime' },
    implies: { customFormat: true },
  },
  {
    pad: 'Text.ConvertDateTimeToText.FromDateTime',
    action: 'Text.ConvertDateTimeToText',
    args: { DateTime: 'dateTime', StandardFormat: { param: 'standardFormat', values: DATE_FORMAT } },
    outputs: { Result: 'text' },
    implies: { formatType: 'standard' },
  },
  {
    pad: 'Text.ConvertDateTimeToText.FromCustomDateTime',
    action: 'Text.ConvertDateTimeToText',
    args: { DateTime: 'dateTime', CustomFormat: 'format' },
    outputs: { Result: 'text' },
    implies: { formatType: 'custom' },
  },
  // Date time
  {
    pad: 'DateTime.GetCurrentDateTime.Local',
    action: 'DateTime.GetCurrentDateTime',
    args: {
      DateTimeFormat: {
        param: 'retrieve',
        values: {
          'DateTime.DateTimeFormat.DateAndTime': 'dateAndTime',
          'DateTime.DateTimeFormat.DateOnly': 'dateOnly',
        },
      },
    },
    outputs: { CurrentDateTime: 'dateTime' },
    implies: { timeZone: 'local' },
  },
  {
    pad: 'DateTime.Add',
    action: 'DateTime.Add',
    args: { DateTime: 'dateTime', TimeToAdd: 'amount', TimeUnit: { param: 'unit', values: TIME_UNIT } },
    outputs: { ResultedDate: 'dateTime' },
  },
  {
    pad: 'DateTime.Subtract',
    action: 'DateTime.Subtract',
    args: {
      FromDate: 'fromDate',
      SubstractDate: 'subtractDate',
      TimeUnit: { param: 'unit', values: DIFFERENCE_UNIT },
    },
    outputs: { TimeDifference: 'difference' },
  },
  // File
  {
    pad: 'File.ReadTextFromFile.ReadText',
    action: 'File.ReadText',
    args: { File: 'file', Encoding: { param: 'encoding', values: ENCODING } },
    outputs: { Content: 'contents' },
    implies: { storeAs: 'text' },
  },
  {
    pad: 'File.ReadTextFromFile.ReadTextAsList',
    action: 'File.ReadText',
    args: { File: 'file', Encoding: { param: 'encoding', values: ENCODING } },
    outputs: { Contents: 'contents' },
    implies: { storeAs: 'lines' },
  },
  {
    pad: 'File.WriteText',
    action: 'File.WriteText',
    args: {
      File: 'file',
      TextToWrite: 'text',
      AppendNewLine: 'appendNewLine',
      IfFileExists: {
        param: 'ifFileExists',
        values: { 'File.IfFileExists.Overwrite': 'overwrite', 'File.IfFileExists.Append': 'append' },
      },
      Encoding: { param: 'encoding', values: FILE_ENCODING },
    },
  },
  {
    pad: 'File.ConvertFileToBinary',
    action: 'File.ConvertFileToBinary',
    args: { File: 'file' },
    outputs: { BinaryData: 'binary' },
  },
  {
    pad: 'File.ConvertBinaryToFile',
    action: 'File.ConvertBinaryToFile',
    args: {
      BinaryData: 'binary',
      File: 'file',
      IfFileExists: { param: 'ifFileExists', values: { 'File.IfFileExists.Overwrite': 'overwrite' } },
    },
  },
  {
    pad: 'File.Copy',
    action: 'File.Copy',
    args: { Files: 'files', Destination: 'destination', IfFileExists: { param: 'ifFileExists', values: IF_EXISTS } },
    outputs: { CopiedFiles: 'copied' },
  },
  {
    pad: 'File.Move',
    action: 'File.Move',
    args: { Files: 'files', Destination: 'destination', IfFileExists: { param: 'ifFileExists', values: IF_EXISTS } },
    outputs: { MovedFiles: 'moved' },
  },
  { pad: 'File.Delete', action: 'File.Delete', args: { Files: 'files' } },
  {
    pad: 'File.GetPathPart',
    action: 'File.GetPathPart',
    args: { File: 'file' },
    outputs: {
      RootPath: 'root',
      Directory: 'directory',
      FileName: 'name',
      FileNameWithoutExtension: 'nameWithoutExtension',
      Extension: 'extension',
    },
  },
  { pad: 'File.GetTempPath', action: 'File.GetTempPath', args: {}, outputs: { TempFile: 'file' } },
  {
    pad: 'File.ReadFromCSVFile.ReadCSV',
    action: 'File.ReadCsv',
    args: {
      CSVFile: 'file',
      Encoding: { param: 'encoding', values: CSV_ENCODING },
      TrimFields: 'trim',
      FirstLineContainsColumnNames: 'firstLineIsHeader',
      ColumnsSeparator: { param: 'delimiter', values: CSV_SEPARATOR },
    },
    outputs: { CSVTable: 'table' },
  },
  {
    pad: 'File.WriteToCSVFile.WriteCSV',
    action: 'File.WriteCsv',
    args: {
      VariableToWrite: 'table',
      CSVFile: 'file',
      CsvFileEncoding: { param: 'encoding', values: CSV_ENCODING },
      IncludeColumnNames: 'includeHeaders',
      IfFileExists: {
        param: 'ifFileExists',
        values: { 'File.IfFileExists.Overwrite': 'overwrite', 'File.IfFileExists.Append': 'append' },
      },
      ColumnsSeparator: { param: 'delimiter', values: CSV_SEPARATOR },
    },
  },
  // Folder
  {
    pad: 'Folder.GetFiles',
    action: 'Folder.GetFiles',
    args: {
      Folder: 'folder',
      FileFilter: 'fileFilter',
      IncludeSubfolders: 'includeSubfolders',
      SortBy1: { param: 'sortBy', values: SORT_BY },
      SortDescending1: 'sortDescending',
    },
    outputs: { Files: 'files' },
    fixed: FOLDER_LISTING_FIXED,
  },
  {
    pad: 'Folder.GetSubfolders',
    action: 'Folder.GetSubfolders',
    args: {
      Folder: 'folder',
      FolderFilter: 'folderFilter',
      IncludeSubfolders: 'includeSubfolders',
      SortBy1: { param: 'sortBy', values: SORT_BY },
      SortDescending1: 'sortDescending',
    },
    outputs: { Folders: 'folders' },
    fixed: FOLDER_LISTING_FIXED,
  },
  {
    pad: 'Folder.Create',
    action: 'Folder.Create',
    args: { FolderPath: 'createIn', FolderName: 'name' },
    outputs: { Folder: 'folder' },
  },
  { pad: 'Folder.Delete', action: 'Folder.Delete', args: { Folder: 'folder' } },
  { pad: 'Folder.Empty', action: 'Folder.Empty', args: { Folder: 'folder' } },
  {
    pad: 'Folder.Copy',
    action: 'Folder.Copy',
    args: {
      Folder: 'folder',
      DestinationFolder: 'destination',
      IfFolderExists: {
        param: 'ifFolderExists',
        values: { 'Folder.IfExists.Overwrite': 'overwrite', 'Folder.IfExists.DoNothing': 'doNothing' },
      },
    },
    outputs: { Folder: 'copied' },
  },
  {
    pad: 'Folder.Move',
    action: 'Folder.Move',
    args: { Folder: 'folder', DestinationFolder: 'destination' },
    outputs: { Folder: 'moved' },
  },
  // Web
  {
    pad: 'Web.InvokeWebService.InvokeWebService',
    action: 'Web.InvokeWebService',
    args: {
      Url: 'url',
      Method: { param: 'method', values: METHOD },
      Accept: 'accept',
      ContentType: 'contentType',
      CustomHeaders: 'headers',
      RequestBody: 'body',
      ConnectionTimeout: 'timeoutSeconds',
      FailOnErrorStatus: 'failOnErrorStatus',
    },
    outputs: { ResponseHeaders: 'headers', Response: 'body', StatusCode: 'status' },
    fixed: {
      FollowRedirection: 'True',
      ClearCookies: 'False',
      EncodeRequestBody: 'True',
      Encoding: 'Web.Encoding.AutoDetect',
      AcceptUntrustedCertificates: 'False',
    },
    ignored: { UserAgent: "$'''Mozilla/5.0 (Windows NT 10.0; Win64; x64)'''" },
  },
  // System
  {
    pad: 'Scripting.RunDOSCommand.RunDOSCommand',
    action: 'System.RunCommand',
    args: { DOSCommandOrApplication: 'command', WorkingDirectory: 'workingFolder' },
    outputs: { StandardOutput: 'stdout', StandardError: 'stderr', ExitCode: 'exitCode' },
  },
  {
    pad: 'System.GetEnvironmentVariable.GetEnvironmentVariable',
    action: 'System.GetEnvironmentVariable',
    args: { Name: 'name' },
    outputs: { Value: 'value' },
    implies: { failIfMissing: true },
  },
  ...extraActionRows,
];

export const robinConditionTable: readonly RobinConditionMapping[] = [
  { pad: 'File.IfFile.Exists', action: 'File.Exists', output: 'exists', args: { File: 'file' }, negate: false },
  { pad: 'File.IfFile.DoesNotExist', action: 'File.Exists', output: 'exists', args: { File: 'file' }, negate: true },
];

const byPad = new Map(robinActionTable.map((m) => [m.pad.toLowerCase(), m]));
const byAction = new Map<string, RobinActionMapping[]>();
for (const m of robinActionTable) byAction.set(m.action, [...(byAction.get(m.action) ?? []), m]);
const conditionByPad = new Map(robinConditionTable.map((m) => [m.pad.toLowerCase(), m]));

export const mappingForPad = (pad: string) => byPad.get(pad.toLowerCase());
export const mappingsForAction = (action: string) => byAction.get(action) ?? [];
export const conditionForPad = (pad: string) => conditionByPad.get(pad.toLowerCase());
export const argSpec = (a: string | RobinArg): RobinArg => (typeof a === 'string' ? { param: a } : a);

/** The table as Markdown, for docs/robin.md. */
export function robinMappingMarkdown(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = robinActionTable.map((m) => {
    const args = Object.entries(m.args)
      .map(([k, v]) => {
        const s = argSpec(v);
        const values = s.values
          ? ` (${Object.entries(s.values)
              .map(([pv, bv]) => `${pv.split('.').pop()}→${String(bv)}`)
              .join(', ')})`
          : '';
        return `${k}→${s.param}${s.variable ? ' (variable name)' : ''}${values}`;
      })
      .join('; ');
    const outs = [
      ...Object.entries(m.outputs ?? {}).map(([k, v]) => `${k}→${v}`),
      ...(m.off ?? []).map((k) => `${k} turned off`),
    ].join('; ');
    const implies = Object.entries(m.implies ?? {})
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    const fixed = Object.entries({ ...(m.fixed ?? {}), ...(m.ignored ?? {}) })
      .map(([k]) => k)
      .join(', ');
    return `| ${code(m.pad)} | ${code(m.action)}${implies ? ` (${implies})` : ''} | ${args || '—'} | ${outs || '—'} | ${fixed || '—'} |`;
  });
  const conds = robinConditionTable.map(
    (m) =>
      `| ${code(`IF (${m.pad} …) THEN`)} | ${code(m.action)} then ${code('If')} on ${m.negate ? 'NOT ' : ''}its ${m.output} | ${Object.entries(
        m.args,
      )
        .map(([k, v]) => `${k}→${v}`)
        .join('; ')} | — | — |`,
  );
  return [
    '| PAD action (Robin) | Patchbay action | arguments → parameters | outputs → produced | written as PAD does, not used |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...conds,
  ].join('\n');
}
