package sigil

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ParseYAML reads the first document of a YAML stream into maps
// (map[string]interface{}), lists ([]interface{}) and scalars (string, int,
// float64, bool, nil). It covers the subset of YAML 1.1 configuration files
// use: block mappings and sequences, flow collections, plain and quoted
// scalars, literal and folded block scalars, comments and document markers.
// Anchors, aliases and tags are refused.
func ParseYAML(data []byte) (interface{}, error) {
	p := &yamlParser{}
	p.load(string(data))
	v, err := p.node(0)
	if err != nil {
		return nil, err
	}
	p.skipBlank()
	if p.pos < len(p.lines) {
		return nil, p.errorf("unexpected content %q", p.text(p.pos))
	}
	return v, nil
}

type yamlLine struct {
	raw    string // the line without its newline
	indent int    // leading spaces (may be overridden for "- " items)
	start  int    // byte offset of the structural text in raw
	num    int    // 1-based line number
}

type yamlParser struct {
	lines []yamlLine
	pos   int
}

func (p *yamlParser) errorf(format string, args ...interface{}) error {
	line := 0
	if p.pos < len(p.lines) {
		line = p.lines[p.pos].num
	} else if len(p.lines) > 0 {
		line = p.lines[len(p.lines)-1].num
	}
	return fmt.Errorf("yaml: line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *yamlParser) load(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	started := false
	for i, raw := range strings.Split(s, "\n") {
		trimmed := strings.TrimRight(raw, " \t")
		if strings.HasPrefix(trimmed, "%") && !started {
			continue
		}
		if trimmed == "---" || strings.HasPrefix(trimmed, "--- ") {
			if started {
				break
			}
			started = true
			rest := strings.TrimSpace(strings.TrimPrefix(trimmed, "---"))
			if rest == "" {
				continue
			}
			raw = strings.Repeat(" ", 4) + rest
		}
		if trimmed == "..." {
			break
		}
		if stripComment(strings.TrimSpace(raw)) != "" {
			started = true
		}
		ind := 0
		for ind < len(raw) && raw[ind] == ' ' {
			ind++
		}
		p.lines = append(p.lines, yamlLine{raw: raw, indent: ind, start: ind, num: i + 1})
	}
}

// text is the structural text of line i: comment stripped, trimmed.
func (p *yamlParser) text(i int) string {
	l := p.lines[i]
	return strings.TrimSpace(stripComment(l.raw[l.start:]))
}

func (p *yamlParser) blank(i int) bool { return p.text(i) == "" }

func (p *yamlParser) skipBlank() {
	for p.pos < len(p.lines) && p.blank(p.pos) {
		p.pos++
	}
}

// stripComment removes a # comment that starts the text or follows a space,
// outside quotes.
func stripComment(s string) string {
	inS, inD := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inD:
			if c == '\\' {
				i++
			} else if c == '"' {
				inD = false
			}
		case inS:
			if c == '\'' {
				inS = false
			}
		case c == '"':
			if i == 0 || strings.IndexByte(" \t[{,:-", s[i-1]) >= 0 {
				inD = true
			}
		case c == '\'':
			if i == 0 || strings.IndexByte(" \t[{,:-", s[i-1]) >= 0 {
				inS = true
			}
		case c == '#':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' {
				return s[:i]
			}
		}
	}
	return s
}

func isSeqItem(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

// mappingColon returns the index of the key/value separator of a block
// mapping line, or -1.
func mappingColon(t string) int {
	if t == "" || t[0] == '[' || t[0] == '{' || isSeqItem(t) {
		return -1
	}
	i := 0
	if t[0] == '"' || t[0] == '\'' {
		q := t[0]
		i = 1
		for i < len(t) && t[i] != q {
			if q == '"' && t[i] == '\\' {
				i++
			} else if q == '\'' && t[i] == '\'' && i+1 < len(t) && t[i+1] == '\'' {
				i++
			}
			i++
		}
		i++
	}
	for ; i < len(t); i++ {
		if t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t') {
			return i
		}
	}
	return -1
}

// node parses the value starting at the next non-blank line whose indent is
// at least min; a shallower line means an empty (null) value.
func (p *yamlParser) node(min int) (interface{}, error) {
	p.skipBlank()
	if p.pos >= len(p.lines) {
		return nil, nil
	}
	l := p.lines[p.pos]
	if l.indent < min {
		return nil, nil
	}
	t := p.text(p.pos)
	switch {
	case isSeqItem(t):
		return p.sequence(l.indent)
	case mappingColon(t) >= 0:
		return p.mapping(l.indent)
	}
	return p.inlineValue(t, l.indent, true)
}

func (p *yamlParser) sequence(indent int) (interface{}, error) {
	out := []interface{}{}
	for {
		p.skipBlank()
		if p.pos >= len(p.lines) {
			return out, nil
		}
		l := &p.lines[p.pos]
		t := p.text(p.pos)
		if l.indent < indent {
			return out, nil
		}
		if l.indent > indent || !isSeqItem(t) {
			if l.indent == indent {
				return out, nil
			}
			return nil, p.errorf("bad indentation of a sequence entry")
		}
		// Re-read the rest of the line as a node of its own column.
		off := l.start + 1
		for off < len(l.raw) && l.raw[off] == ' ' {
			off++
		}
		rest := strings.TrimSpace(stripComment(l.raw[off:]))
		if rest == "" {
			p.pos++
			v, err := p.node(indent + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			continue
		}
		l.start, l.indent = off, off
		v, err := p.node(off)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func (p *yamlParser) mapping(indent int) (interface{}, error) {
	out := map[string]interface{}{}
	for {
		p.skipBlank()
		if p.pos >= len(p.lines) {
			return out, nil
		}
		l := p.lines[p.pos]
		if l.indent < indent {
			return out, nil
		}
		t := p.text(p.pos)
		c := mappingColon(t)
		if l.indent > indent || c < 0 {
			if l.indent == indent {
				return out, nil
			}
			return nil, p.errorf("bad indentation of a mapping entry")
		}
		keyText := strings.TrimSpace(t[:c])
		if keyText == "" || keyText[0] == '&' || keyText[0] == '*' || keyText[0] == '!' || keyText[0] == '?' {
			return nil, p.errorf("unsupported mapping key %q", keyText)
		}
		key, err := p.scalarText(keyText)
		if err != nil {
			return nil, err
		}
		rest := strings.TrimSpace(t[c+1:])
		var v interface{}
		if rest == "" {
			p.pos++
			p.skipBlank()
			if p.pos < len(p.lines) && p.lines[p.pos].indent == indent && isSeqItem(p.text(p.pos)) {
				v, err = p.sequence(indent)
			} else {
				v, err = p.node(indent + 1)
			}
		} else {
			v, err = p.inlineValue(rest, indent, false)
		}
		if err != nil {
			return nil, err
		}
		out[fmt.Sprint(key)] = v
	}
}

// inlineValue parses a value that starts on the current line (after "key:"
// or "- ", or alone) and consumes the lines it spans. parent is the indent
// continuation lines must exceed.
func (p *yamlParser) inlineValue(t string, parent int, alone bool) (interface{}, error) {
	switch t[0] {
	case '&', '*', '!':
		return nil, p.errorf("anchors, aliases and tags are not supported")
	case '|', '>':
		return p.blockScalar(t, parent)
	case '[', '{':
		text := t
		for !flowBalanced(text) {
			p.pos++
			if p.pos >= len(p.lines) {
				return nil, p.errorf("unterminated flow collection")
			}
			text += " " + p.text(p.pos)
		}
		p.pos++
		fp := &flowParser{s: text}
		v, err := fp.value()
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		fp.space()
		if fp.i < len(fp.s) {
			return nil, p.errorf("unexpected %q after flow collection", fp.s[fp.i:])
		}
		return v, nil
	case '"', '\'':
		p.pos++
		return p.scalarText(t)
	}
	// plain scalar, possibly continued on more-indented lines
	text := t
	p.pos++
	for p.pos < len(p.lines) {
		if p.blank(p.pos) {
			break
		}
		l := p.lines[p.pos]
		nt := p.text(p.pos)
		if l.indent <= parent || (alone && l.indent == parent) || mappingColon(nt) >= 0 || isSeqItem(nt) {
			break
		}
		text += " " + nt
		p.pos++
	}
	return resolvePlain(text), nil
}

func flowBalanced(s string) bool {
	depth := 0
	inS, inD := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inD:
			if c == '\\' {
				i++
			} else if c == '"' {
				inD = false
			}
		case inS:
			if c == '\'' {
				inS = false
			}
		case c == '"':
			inD = true
		case c == '\'':
			inS = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		}
	}
	return depth <= 0
}

// blockScalar reads a | or > scalar whose content lines are indented more
// than parent.
func (p *yamlParser) blockScalar(header string, parent int) (interface{}, error) {
	literal := header[0] == '|'
	chomp := byte(0)
	explicit := 0
	for _, c := range header[1:] {
		switch {
		case c == '-' || c == '+':
			chomp = byte(c)
		case c >= '1' && c <= '9':
			explicit = int(c - '0')
		case c == ' ':
		default:
			return nil, p.errorf("invalid block scalar header %q", header)
		}
	}
	p.pos++
	var lines []string
	contentIndent := 0
	if explicit > 0 {
		contentIndent = parent + explicit
	}
	for p.pos < len(p.lines) {
		raw := p.lines[p.pos].raw
		ind := 0
		for ind < len(raw) && raw[ind] == ' ' {
			ind++
		}
		if strings.TrimSpace(raw) == "" {
			lines = append(lines, "")
			p.pos++
			continue
		}
		if ind <= parent {
			break
		}
		if contentIndent == 0 {
			contentIndent = ind
		}
		if ind < contentIndent {
			break
		}
		lines = append(lines, raw[contentIndent:])
		p.pos++
	}
	// trailing blank lines belong to chomping
	trail := 0
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
		trail++
	}
	var body string
	if literal {
		body = strings.Join(lines, "\n")
	} else {
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				prev := lines[i-1]
				switch {
				case l == "" || prev == "":
					b.WriteByte('\n')
				case strings.HasPrefix(l, " ") || strings.HasPrefix(prev, " "):
					b.WriteByte('\n')
				default:
					b.WriteByte(' ')
				}
			}
			b.WriteString(l)
		}
		body = b.String()
	}
	if len(lines) == 0 {
		if chomp == '+' {
			return strings.Repeat("\n", trail), nil
		}
		return "", nil
	}
	switch chomp {
	case '-':
	case '+':
		body += "\n" + strings.Repeat("\n", trail)
	default:
		body += "\n"
	}
	return body, nil
}

// scalarText resolves a complete scalar token (quoted or plain).
func (p *yamlParser) scalarText(t string) (interface{}, error) {
	if t == "" {
		return nil, nil
	}
	switch t[0] {
	case '"':
		s, n, err := unquoteDouble(t)
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if strings.TrimSpace(t[n:]) != "" {
			return nil, p.errorf("unexpected %q after quoted scalar", t[n:])
		}
		return s, nil
	case '\'':
		s, n, err := unquoteSingle(t)
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if strings.TrimSpace(t[n:]) != "" {
			return nil, p.errorf("unexpected %q after quoted scalar", t[n:])
		}
		return s, nil
	}
	return resolvePlain(t), nil
}

// unquoteDouble reads a double-quoted scalar at the start of s and returns
// it with the number of bytes consumed.
func unquoteDouble(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == '"' {
			return b.String(), i + 1, nil
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't', '\t':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case ' ':
			b.WriteByte(' ')
		case '"', '/', '\\':
			b.WriteByte(s[i])
		case 'N':
			b.WriteString("\u0085")
		case '_':
			b.WriteString("\u00a0")
		case 'L':
			b.WriteString("\u2028")
		case 'P':
			b.WriteString("\u2029")
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[i]]
			if i+n >= len(s) {
				return "", 0, fmt.Errorf("short escape in %q", s)
			}
			r, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil {
				return "", 0, fmt.Errorf("bad escape in %q", s)
			}
			b.WriteRune(rune(r))
			i += n
		default:
			return "", 0, fmt.Errorf("unknown escape \\%c", s[i])
		}
	}
	return "", 0, fmt.Errorf("unterminated double-quoted scalar %q", s)
}

func unquoteSingle(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] == '\'' {
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), i + 1, nil
		}
		b.WriteByte(s[i])
	}
	return "", 0, fmt.Errorf("unterminated single-quoted scalar %q", s)
}

var (
	yamlInt   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?(0|[1-9][0-9_]*)$`) })
	yamlHex   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?0x[0-9a-fA-F_]+$`) })
	yamlOct   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[-+]?0o?[0-7_]+$`) })
	yamlFloat = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$`)
	})
)

// resolvePlain gives a plain scalar its YAML 1.1 type.
func resolvePlain(s string) interface{} {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
		return true
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
		return false
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1)
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1)
	case ".nan", ".NaN", ".NAN":
		return math.NaN()
	}
	clean := strings.ReplaceAll(s, "_", "")
	switch {
	case yamlInt().MatchString(s):
		if i, err := strconv.ParseInt(clean, 10, 64); err == nil {
			if int64(int(i)) == i {
				return int(i)
			}
			return i
		}
		if f, err := strconv.ParseFloat(clean, 64); err == nil {
			return f
		}
	case yamlHex().MatchString(s):
		neg := strings.HasPrefix(clean, "-")
		h := strings.TrimLeft(clean, "+-")[2:]
		if i, err := strconv.ParseInt(h, 16, 64); err == nil {
			if neg {
				i = -i
			}
			return int(i)
		}
	case yamlOct().MatchString(s) && len(strings.TrimLeft(clean, "+-")) > 1:
		neg := strings.HasPrefix(clean, "-")
		o := strings.TrimPrefix(strings.TrimLeft(clean, "+-"), "0o")
		if i, err := strconv.ParseInt(o, 8, 64); err == nil {
			if neg {
				i = -i
			}
			return int(i)
		}
	case yamlFloat().MatchString(s) && s != "." && s != "-." && s != "+.":
		if f, err := strconv.ParseFloat(clean, 64); err == nil {
			return f
		}
	}
	return s
}

// flowParser reads a flow collection ([a, b], {k: v}).
type flowParser struct {
	s string
	i int
}

func (f *flowParser) space() {
	for f.i < len(f.s) && (f.s[f.i] == ' ' || f.s[f.i] == '\t') {
		f.i++
	}
}

func (f *flowParser) value() (interface{}, error) {
	f.space()
	if f.i >= len(f.s) {
		return nil, fmt.Errorf("unexpected end of flow collection")
	}
	switch f.s[f.i] {
	case '[':
		f.i++
		out := []interface{}{}
		for {
			f.space()
			if f.i < len(f.s) && f.s[f.i] == ']' {
				f.i++
				return out, nil
			}
			v, err := f.value()
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			f.space()
			if f.i >= len(f.s) {
				return nil, fmt.Errorf("unterminated flow sequence")
			}
			switch f.s[f.i] {
			case ',':
				f.i++
			case ']':
				f.i++
				return out, nil
			default:
				return nil, fmt.Errorf("expected , or ] in flow sequence, got %q", f.s[f.i:])
			}
		}
	case '{':
		f.i++
		out := map[string]interface{}{}
		for {
			f.space()
			if f.i < len(f.s) && f.s[f.i] == '}' {
				f.i++
				return out, nil
			}
			k, err := f.scalar(true)
			if err != nil {
				return nil, err
			}
			f.space()
			var v interface{}
			if f.i < len(f.s) && f.s[f.i] == ':' {
				f.i++
				f.space()
				if f.i < len(f.s) && (f.s[f.i] == ',' || f.s[f.i] == '}') {
					v = nil
				} else if v, err = f.value(); err != nil {
					return nil, err
				}
			}
			out[fmt.Sprint(k)] = v
			f.space()
			if f.i >= len(f.s) {
				return nil, fmt.Errorf("unterminated flow mapping")
			}
			switch f.s[f.i] {
			case ',':
				f.i++
			case '}':
				f.i++
				return out, nil
			default:
				return nil, fmt.Errorf("expected , or } in flow mapping, got %q", f.s[f.i:])
			}
		}
	}
	return f.scalar(false)
}

func (f *flowParser) scalar(key bool) (interface{}, error) {
	f.space()
	if f.i >= len(f.s) {
		return nil, fmt.Errorf("unexpected end of flow collection")
	}
	switch f.s[f.i] {
	case '"':
		s, n, err := unquoteDouble(f.s[f.i:])
		f.i += n
		return s, err
	case '\'':
		s, n, err := unquoteSingle(f.s[f.i:])
		f.i += n
		return s, err
	case '&', '*', '!':
		return nil, fmt.Errorf("anchors, aliases and tags are not supported")
	}
	start := f.i
	for f.i < len(f.s) {
		c := f.s[f.i]
		if c == ',' || c == ']' || c == '}' || c == '[' || c == '{' {
			break
		}
		if c == ':' && (f.i+1 == len(f.s) || f.s[f.i+1] == ' ' || (key && (f.s[f.i+1] == ',' || f.s[f.i+1] == '}'))) {
			break
		}
		f.i++
	}
	return resolvePlain(strings.TrimSpace(f.s[start:f.i])), nil
}

// MarshalYAML writes a value as block YAML in the layout of yaml.v2 (keys
// sorted, sequences inside mappings not indented), ending in a newline.
func MarshalYAML(v interface{}) (string, error) {
	// Normalise through JSON so structs and typed maps work.
	norm, err := normalize(v)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := emit(&b, norm, 0, false); err != nil {
		return "", err
	}
	out := b.String()
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out, nil
}

func normalize(v interface{}) (interface{}, error) {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64:
		return x, nil
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case map[string]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(x))
		for k, e := range x {
			n, err := normalize(e)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = n
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint()), nil
	case reflect.Float32:
		return rv.Float(), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out interface{}
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return normalize(out)
}

func emit(b *strings.Builder, v interface{}, indent int, inSeq bool) error {
	pad := strings.Repeat(" ", indent)
	switch x := v.(type) {
	case map[string]interface{}:
		if len(x) == 0 {
			b.WriteString("{}\n")
			return nil
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 || !inSeq {
				b.WriteString(pad)
			}
			b.WriteString(yamlScalar(k))
			b.WriteString(":")
			switch c := x[k].(type) {
			case map[string]interface{}:
				if len(c) == 0 {
					b.WriteString(" {}\n")
					continue
				}
				b.WriteString("\n")
				if err := emit(b, c, indent+2, false); err != nil {
					return err
				}
			case []interface{}:
				if len(c) == 0 {
					b.WriteString(" []\n")
					continue
				}
				b.WriteString("\n")
				if err := emit(b, c, indent, false); err != nil {
					return err
				}
			default:
				b.WriteString(" ")
				b.WriteString(yamlScalar(c))
				b.WriteString("\n")
			}
		}
	case []interface{}:
		if len(x) == 0 {
			b.WriteString("[]\n")
			return nil
		}
		for i, e := range x {
			if i > 0 || !inSeq {
				b.WriteString(pad)
			}
			b.WriteString("- ")
			switch c := e.(type) {
			case map[string]interface{}, []interface{}:
				if err := emit(b, c, indent+2, true); err != nil {
					return err
				}
			default:
				b.WriteString(yamlScalar(c))
				b.WriteString("\n")
			}
		}
	default:
		b.WriteString(yamlScalar(x))
		b.WriteString("\n")
	}
	return nil
}

func yamlScalar(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		switch {
		case math.IsInf(x, 1):
			return ".inf"
		case math.IsInf(x, -1):
			return "-.inf"
		case math.IsNaN(x):
			return ".nan"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return quoteYAML(x)
	}
	return quoteYAML(fmt.Sprint(v))
}

func quoteYAML(s string) string {
	if plainSafe(s) {
		return s
	}
	printable := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			printable = false
			break
		}
	}
	if printable {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	data, _ := json.Marshal(s)
	return string(data)
}

func plainSafe(s string) bool {
	if s == "" || strings.TrimSpace(s) != s {
		return false
	}
	if _, isStr := resolvePlain(s).(string); !isStr {
		return false
	}
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", s[0]) >= 0 {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
