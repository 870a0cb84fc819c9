/**
 * Rows of the Robin action map (table.ts) for crop and reverse text, the
 * list set actions, Base64 files, special folders, ZIP archives, scripts
 * and data tables. table.ts joins them into the one table.
 */
import type { RobinActionMapping } from './table.js';

/** PAD writes File.IfExists.*; File.IfFileExists.* (File.WriteText's names) is read too. */
const IF_FILE_EXISTS = {
  'File.IfExists.Overwrite': 'overwrite',
  'File.IfExists.DoNothing': 'doNothing',
  'File.IfFileExists.Overwrite': 'overwrite',
  'File.IfFileExists.DoNothing': 'doNothing',
};

/** PAD's special folders (.NET's names) and Patchbay's; the first of two Robin names for one folder is written. */
const SPECIAL_FOLDER = {
  'Folder.SpecialFolder.DesktopDirectory': 'Desktop',
  'Folder.SpecialFolder.Desktop': 'Desktop',
  'Folder.SpecialFolder.Personal': 'Documents',
  'Folder.SpecialFolder.MyDocuments': 'Documents',
  'Folder.SpecialFolder.MyMusic': 'Music',
  'Folder.SpecialFolder.MyPictures': 'Pictures',
  'Folder.SpecialFolder.MyVideos': 'Videos',
  'Folder.SpecialFolder.UserProfile': 'Home',
  'Folder.SpecialFolder.ApplicationData': 'AppData',
};

/** PAD's ZIP compression levels and the zlib levels Patchbay uses for them. */
const COMPRESSION_LEVEL = {
  'Compression.CompressionLevel.None': 0,
  'Compression.CompressionLevel.BestSpeed': 1,
  'Compression.CompressionLevel.Fast': 3,
  'Compression.CompressionLevel.Normal': 6,
  'Compression.CompressionLevel.Good': 7,
  'Compression.CompressionLevel.BestCompression': 9,
};

const DATA_TABLE = { param: 'dataTable', variable: true } as const;

/** PAD asks "Match case"; Patchbay asks "Ignore case". */
const MATCH_CASE = { param: 'ignoreCase', values: { True: false, False: true } };

const CROP_OUTPUTS = { CroppedText: 'text', IsFlagFound: 'found' };
const SCRIPT_OUTPUTS = { ScriptOutput: 'output', ScriptError: 'error' };

export const extraActionRows: readonly RobinActionMapping[] = [
  // Text
  {
    pad: 'Text.CropText.CropTextBetweenFlags',
    action: 'Text.CropText',
    args: { Text: 'text', FromFlag: 'startFlag', ToFlag: 'endFlag', IgnoreCase: 'ignoreCase' },
    outputs: CROP_OUTPUTS,
    implies: { mode: 'between' },
  },
  {
    pad: 'Text.CropText.CropTextAfterFlag',
    action: 'Text.CropText',
    args: { Text: 'text', FromFlag: 'startFlag', IgnoreCase: 'ignoreCase' },
    outputs: CROP_OUTPUTS,
    implies: { mode: 'after' },
  },
  {
    pad: 'Text.CropText.CropTextBeforeFlag',
    action: 'Text.CropText',
    args: { Text: 'text', ToFlag: 'endFlag', IgnoreCase: 'ignoreCase' },
    outputs: CROP_OUTPUTS,
    implies: { mode: 'before' },
  },
  { pad: 'Text.Reverse', action: 'Text.Reverse', args: { Text: 'text' }, outputs: { ReversedText: 'text' } },
  // Lists
  { pad: 'Variables.ShuffleList', action: 'Variables.ShuffleList', args: { List: { param: 'list', variable: true } } },
  {
    pad: 'Variables.SubtractLists',
    action: 'Variables.SubtractLists',
    args: { FirstList: 'first', SecondList: 'second' },
    outputs: { OutputList: 'list' },
  },
  {
    pad: 'Variables.FindCommonListItems',
    action: 'Variables.FindCommonListItems',
    args: { FirstList: 'first', SecondList: 'second' },
    outputs: { IntersectionList: 'list' },
  },
  // Files, folders, archives
  {
    pad: 'File.ConvertToBase64',
    action: 'File.ConvertToBase64',
    args: { File: 'file' },
    outputs: { Base64Text: 'text' },
  },
  {
    pad: 'File.ConvertFromBase64',
    action: 'File.ConvertFromBase64',
    args: {
      Base64Text: 'base64',
      File: 'file',
      IfFileExists: { param: 'ifFileExists', values: IF_FILE_EXISTS },
    },
  },
  {
    pad: 'Folder.GetSpecialFolder',
    action: 'Folder.GetSpecialFolder',
    args: { SpecialFolder: { param: 'folder', values: SPECIAL_FOLDER } },
    outputs: { SpecialFolderPath: 'path' },
  },
  {
    pad: 'Compression.ZipFiles',
    action: 'Compression.ZipFiles',
    args: {
      ArchivePath: 'archive',
      FilesToZip: 'source',
      CompressionLevel: { param: 'compressionLevel', values: COMPRESSION_LEVEL },
    },
  },
  {
    pad: 'Compression.Unzip',
    action: 'Compression.UnzipFiles',
    args: { ArchivePath: 'archive', DestinationFolder: 'destination' },
    off: ['files'],
  },
  // Scripting
  {
    pad: 'Scripting.RunPowershellScript.RunPowershellScript',
    action: 'Scripting.RunPowerShellScript',
    args: { Script: 'script' },
    outputs: SCRIPT_OUTPUTS,
    off: ['exitCode'],
  },
  {
    pad: 'Scripting.RunPythonScript.RunPythonScript',
    action: 'Scripting.RunPythonScript',
    args: { PythonCode: 'script' },
    outputs: SCRIPT_OUTPUTS,
    off: ['exitCode'],
  },
  // Data tables
  {
    pad: 'Variables.CreateNewDatatable',
    action: 'Variables.CreateNewDataTable',
    args: { InputTable: 'table' },
    outputs: { DataTable: 'table' },
  },
  {
    pad: 'Variables.AddRowToDataTable.AppendRowToDataTable',
    action: 'Variables.AddRowToDataTable',
    args: { DataTable: DATA_TABLE, RowToAdd: 'row' },
  },
  {
    pad: 'Variables.AddRowToDataTable.InsertRowToDataTable',
    action: 'Variables.AddRowToDataTable',
    args: { DataTable: DATA_TABLE, RowIndex: 'rowIndex', RowToAdd: 'row' },
  },
  {
    pad: 'Variables.DeleteRowFromDataTable',
    action: 'Variables.DeleteRowFromDataTable',
    args: { DataTable: DATA_TABLE, RowIndex: 'rowIndex' },
  },
  {
    pad: 'Variables.ModifyDataTableItem',
    action: 'Variables.UpdateDataTableItem',
    args: { DataTable: DATA_TABLE, ColumnNameOrIndex: 'column', RowIndex: 'rowIndex', Value: 'value' },
  },
  {
    pad: 'Variables.AddColumnToDataTable.AppendColumnToDataTable',
    action: 'Variables.InsertColumnIntoDataTable',
    args: { DataTable: DATA_TABLE, ColumnName: 'columnName' },
  },
  {
    pad: 'Variables.DeleteColumnFromDataTable.DeleteColumnWithName',
    action: 'Variables.DeleteColumnFromDataTable',
    args: { DataTable: DATA_TABLE, ColumnName: 'column' },
  },
  {
    pad: 'Variables.FindOrReplaceInDataTable.FindItemInDataTableEverywhere',
    action: 'Variables.FindOrReplaceInDataTable',
    args: {
      DataTable: DATA_TABLE,
      AllMatches: 'allMatches',
      ValueToFind: 'find',
      MatchCase: MATCH_CASE,
      MatchEntireCellContents: 'matchWholeCell',
    },
    outputs: { DataTableMatches: 'matches' },
    implies: { replace: false },
  },
  {
    pad: 'Variables.FindOrReplaceInDataTable.FindAndReplaceEverywhere',
    action: 'Variables.FindOrReplaceInDataTable',
    args: {
      DataTable: DATA_TABLE,
      AllMatches: 'allMatches',
      ValueToFind: 'find',
      ValueToReplace: 'replaceWith',
      MatchCase: MATCH_CASE,
      MatchEntireCellContents: 'matchWholeCell',
    },
    outputs: { DataTableMatches: 'matches' },
    implies: { replace: true },
  },
  {
    pad: 'Variables.SortDataTable.SortWithColumnName',
    action: 'Variables.SortDataTable',
    args: {
      DataTable: DATA_TABLE,
      ColumnName: 'columns',
      Order: {
        param: 'descending',
        values: { 'Variables.SortDirection.Ascending': false, 'Variables.SortDirection.Descending': true },
      },
    },
  },
  {
    pad: 'Variables.RemoveDuplicateRowsFromDataTable',
    action: 'Variables.RemoveDuplicateRowsFromDataTable',
    args: { DataTable: DATA_TABLE },
  },
  {
    pad: 'Variables.MergeDataTables',
    action: 'Variables.MergeDataTables',
    args: {
      FirstDataTable: { param: 'first', variable: true },
      SecondDataTable: 'second',
      MergeMode: {
        param: 'mode',
        values: {
          'Variables.MergeMode.AddExtraColumns': 'addExtraColumns',
          'Variables.MergeMode.IgnoreExtraColumns': 'ignoreExtraColumns',
          'Variables.MergeMode.RaiseError': 'error',
        },
      },
    },
  },
];
